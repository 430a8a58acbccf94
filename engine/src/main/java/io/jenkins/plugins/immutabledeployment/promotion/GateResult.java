package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.oci.Digest;

/**
 * A gate that passed, and on the strength of which attestation.
 *
 * @param gate {@code requireProvenance} or {@code requirePromotedTo}
 * @param attestation the attestation manifest that satisfied it
 * @param verified whether its signature was verified with the given public key
 */
public record GateResult(String gate, Digest attestation, boolean verified) {

    /** A progress line: {@code Gate requireProvenance passed: attestation sha256:… verified with the public key}. */
    public String describe() {
        return "Gate " + gate + " passed: attestation " + attestation
                + (verified ? " verified with the public key" : " present (no public key given)");
    }
}
