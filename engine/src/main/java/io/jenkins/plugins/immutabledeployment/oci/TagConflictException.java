package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/**
 * The tag points at a different digest than this operation's, and this operation does not own it: either it
 * already did and the tag policy does not allow moving it (found before anything was written), or another writer
 * moved it while this operation wrote it. The message names the digest that holds the tag.
 */
public class TagConflictException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final Digest holder;

    public TagConflictException(String image, Digest existing, Digest wanted) {
        this("tag " + image + " already points at " + existing + ", not at " + wanted
                + "; tags are immutable by default (tag policy \"overwrite\" allows moving it)", existing);
    }

    private TagConflictException(String message, Digest holder) {
        super(message);
        this.holder = holder;
    }

    /** The tag was written by someone else between this operation's first check and its write. */
    static TagConflictException movedMeanwhile(String image, Digest holder, Digest wanted) {
        return new TagConflictException("tag " + image + " was pointed at " + holder + " by another writer while"
                + " this operation prepared " + wanted + "; it was not overwritten", holder);
    }

    /** Another writer wrote the tag right after this operation did, and its digest is what the tag holds now. */
    static TagConflictException lostRace(String image, Digest holder, Digest wanted) {
        return new TagConflictException("tag " + image + " was written with " + wanted + " and then, at once, by"
                + " another writer: it points at " + holder + ", which won; " + wanted + " is stored untagged", holder);
    }

    /** The digest the tag points at. */
    public Digest holder() {
        return holder;
    }
}
