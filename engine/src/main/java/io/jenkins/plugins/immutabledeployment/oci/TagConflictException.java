package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/**
 * The tag points at a different digest than this operation's, and this operation does not own it: either it
 * already did and the tag policy does not allow moving it (found before anything was written), or another writer
 * moved it while this operation wrote it ({@link #race()}). The message names the digest that holds the tag; the
 * fields let each front end name its own way of allowing a move ({@code tagPolicy: 'overwrite'},
 * {@code --tag-policy overwrite}), which does not apply to a race.
 */
public class TagConflictException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final String image;
    private final Digest existing;
    private final Digest wanted;
    private final boolean race;

    public TagConflictException(String image, Digest existing, Digest wanted) {
        this("tag " + image + " already points at " + existing + ", not at " + wanted
                + "; tags are immutable by default (tag policy \"overwrite\" allows moving it)", image, existing, wanted, false);
    }

    private TagConflictException(String message, String image, Digest existing, Digest wanted, boolean race) {
        super(message);
        this.image = image;
        this.existing = existing;
        this.wanted = wanted;
        this.race = race;
    }

    /** The tag was written by someone else between this operation's first check and its write. */
    static TagConflictException movedMeanwhile(String image, Digest holder, Digest wanted) {
        return new TagConflictException("tag " + image + " was pointed at " + holder + " by another writer while"
                + " this operation prepared " + wanted + "; it was not overwritten", image, holder, wanted, true);
    }

    /** Another writer wrote the tag right after this operation did, and its digest is what the tag holds now. */
    static TagConflictException lostRace(String image, Digest holder, Digest wanted) {
        return new TagConflictException("tag " + image + " was written with " + wanted + " and then, at once, by"
                + " another writer: it points at " + holder + ", which won; " + wanted + " is stored untagged", image, holder,
                wanted, true);
    }

    /** The tagged reference, {@code registry/repository:tag}. */
    public String image() {
        return image;
    }

    /** The digest the tag points at. */
    public Digest existing() {
        return existing;
    }

    /** The digest that was to be tagged. */
    public Digest wanted() {
        return wanted;
    }

    /** Whether another writer moved the tag while this operation wrote it (no tag policy would have helped). */
    public boolean race() {
        return race;
    }
}
