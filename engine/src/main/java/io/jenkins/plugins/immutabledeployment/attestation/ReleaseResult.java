package io.jenkins.plugins.immutabledeployment.attestation;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;

/**
 * What a push with provenance did; its JSON form is the push's fields plus these.
 *
 * @param push the image push
 * @param provenance the digest of the provenance attestation's manifest, or {@code null} without provenance
 * @param signed whether the provenance is signed
 * @param keyid the signing key's keyid, or {@code null}
 * @param sbom the digest of the SBOM artifact's manifest, or {@code null} without SBOM
 * @param referrers how the registry lists what is attached to the image, or {@code null} when nothing was attached
 */
public record ReleaseResult(
        @JsonUnwrapped PushResult push, Digest provenance, boolean signed, String keyid, Digest sbom,
        ReferrerMechanism referrers) {}
