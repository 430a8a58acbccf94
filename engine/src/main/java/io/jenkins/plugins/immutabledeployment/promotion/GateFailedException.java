package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/**
 * A promotion gate did not pass; the promotion stopped before writing anything. The message names the gate
 * ({@code requireProvenance}, {@code requirePromotedTo}) and says why.
 */
public class GateFailedException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final String gate;
    private final String image;
    private final String reason;

    public GateFailedException(String gate, String image, String reason) {
        super("gate " + gate + " failed for " + image + ": " + reason + "; nothing was written");
        this.gate = gate;
        this.image = image;
        this.reason = reason;
    }

    /** The image whose attachments were checked, {@code registry/repository@sha256:…}. */
    public String image() {
        return image;
    }

    /** Why the gate did not pass, e.g. {@code no promotion attestation to stage "staging" is attached}. */
    public String reason() {
        return reason;
    }

    /** {@code requireProvenance} or {@code requirePromotedTo}. */
    public String gate() {
        return gate;
    }
}
