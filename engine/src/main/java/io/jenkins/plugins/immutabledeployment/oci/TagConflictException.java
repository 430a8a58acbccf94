package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/**
 * The tag already points at a different digest and the tag policy does not allow moving it. Nothing was written.
 * The fields let each front end name its own way of allowing it ({@code tagPolicy: 'overwrite'}, {@code --tag-policy
 * overwrite}).
 */
public class TagConflictException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final String image;
    private final Digest existing;
    private final Digest wanted;

    public TagConflictException(String image, Digest existing, Digest wanted) {
        super("tag " + image + " already points at " + existing + ", not at " + wanted
                + "; tags are immutable by default (tag policy \"overwrite\" allows moving it)");
        this.image = image;
        this.existing = existing;
        this.wanted = wanted;
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
}
