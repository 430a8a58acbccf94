package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.oci.Digest;

/**
 * A gate that passed, and on the strength of which attestation.
 *
 * @param gate {@code requireProvenance} or {@code requirePromotedTo}
 * @param attestation the attestation manifest that satisfied it
 * @param verified whether its signature was verified with the given public key
 */
public record GateResult(String gate, Digest attestation, boolean verified) {}
