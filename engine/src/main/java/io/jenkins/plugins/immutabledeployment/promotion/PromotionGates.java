package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;

/**
 * The policy gates a promotion checks against the source image's attestations before it writes anything.
 *
 * @param requireProvenance a SLSA provenance attestation about the image digest must be attached; with a
 *     {@code publicKey}, one whose signature verifies with it
 * @param requirePromotedTo a stage the digest must have been promoted to before (a promotion attestation to that
 *     stage, about this digest, attached in the source repository; with a {@code publicKey}, verified with it), or
 *     {@code null}
 * @param publicKey the trusted public key attestations are verified with, or {@code null}: then the gates only
 *     check that the attestations exist and are about this digest
 */
public record PromotionGates(boolean requireProvenance, String requirePromotedTo, VerificationKey publicKey) {

    public static final PromotionGates NONE = new PromotionGates(false, null, null);

    public PromotionGates {
        if (requirePromotedTo != null) {
            Promotion.checkStage(requirePromotedTo, "requirePromotedTo");
        }
    }

    public boolean any() {
        return requireProvenance || requirePromotedTo != null;
    }
}
