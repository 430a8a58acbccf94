package io.jenkins.plugins.immutabledeployment.actions;

import java.io.Serializable;
import java.util.Objects;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * One change a build made to a Kubernetes Deployment (a rollout or a rollback): where, which image, how it
 * ended, and whether the stable Deployment serves that image afterwards. Saved with the build (a plain class,
 * not a record, because XStream restores it), so new fields must be optional.
 */
@ExportedBean(defaultVisibility = 2)
public final class ReleaseRecord implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String cluster;
    private final String namespace;
    private final String deployment;
    private final String image;
    private final String outcome;
    private final boolean live;
    private final long timestamp;

    /**
     * @param cluster    the configured cluster name, or null for the controller's default
     * @param image      digest-pinned reference, {@code repo@sha256:…}
     * @param outcome    the engine's word for how it ended, e.g. {@code promoted}, {@code aborted}, {@code rolledBack}
     * @param live       whether the stable Deployment runs {@code image} after this change
     * @param timestamp  when it ended, epoch milliseconds
     */
    public ReleaseRecord(String cluster, String namespace, String deployment, String image, String outcome, boolean live, long timestamp) {
        this.cluster = cluster;
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.image = Objects.requireNonNull(image, "image");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.live = live;
        this.timestamp = timestamp;
    }

    @Exported
    public String getCluster() {
        return cluster;
    }

    @Exported
    public String getNamespace() {
        return namespace;
    }

    @Exported
    public String getDeployment() {
        return deployment;
    }

    @Exported
    public String getImage() {
        return image;
    }

    /** The digest part of {@link #getImage()}. */
    @Exported
    public String getDigest() {
        int at = image.indexOf('@');
        return at < 0 ? null : image.substring(at + 1);
    }

    @Exported
    public String getOutcome() {
        return outcome;
    }

    @Exported
    public boolean isLive() {
        return live;
    }

    @Exported
    public long getTimestamp() {
        return timestamp;
    }

    /** Identifies the Deployment: {@code cluster/namespace/deployment} ({@code default} for the default cluster). */
    public String getTarget() {
        return (cluster == null ? "default" : cluster) + "/" + namespace + "/" + deployment;
    }
}
