package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.attestation.ReferrerMechanism;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.List;

/**
 * What a promotion did.
 *
 * @param image the promoted image in the target, pinned: {@code registry/repository@sha256:…}
 * @param digest the digest, the same in source and target
 * @param repository {@code registry/repository} of the target
 * @param tag the tag written in the target, or {@code null}
 * @param stage the stage promoted to
 * @param source the source image, pinned by digest
 * @param resolvedFrom the tag reference that was resolved to {@code source}, or {@code null} when a digest was given
 * @param approver who approved, or {@code null}
 * @param attestation the digest of the promotion attestation's manifest in the target repository
 * @param signed whether the promotion attestation is signed
 * @param keyid the signing key's keyid, or {@code null}
 * @param gates the gates that passed
 * @param referrersCopied how many attached artifacts (attestations, SBOMs) were copied with the image
 * @param referrers how the target registry lists what is attached to the image
 */
public record PromotionResult(
        String image,
        Digest digest,
        String repository,
        String tag,
        String stage,
        String source,
        String resolvedFrom,
        String approver,
        Digest attestation,
        boolean signed,
        String keyid,
        List<GateResult> gates,
        int referrersCopied,
        ReferrerMechanism referrers) {

    public PromotionResult {
        gates = List.copyOf(gates);
    }

    /** The provenance attestation whose signature was verified with the public key before the copy, or {@code null}. */
    public Digest verifiedProvenance() {
        return gates.stream()
                .filter(g -> g.verified() && GateCheck.REQUIRE_PROVENANCE.equals(g.gate()))
                .map(GateResult::attestation)
                .findFirst().orElse(null);
    }
}
