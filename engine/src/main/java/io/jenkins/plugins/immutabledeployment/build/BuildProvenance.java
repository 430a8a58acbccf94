package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.attestation.ArtifactAttacher;
import io.jenkins.plugins.immutabledeployment.attestation.Attached;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.provenance.Attestations;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import java.time.Clock;
import java.time.Instant;

/**
 * Attaches an image's provenance after its push, where the signing key is: in Jenkins, the image is pushed from
 * the agent that built it, while the key stays on the controller, out of reach of the build's own steps (what
 * SLSA asks of signing secrets), and only the small attestation is uploaded from there.
 */
public final class BuildProvenance {

    private static final Digest SAMPLE_DIGEST = Digest.sha256(new byte[0]);

    private BuildProvenance() {}

    /** Checks the facts the way the real statement will, before anything is pushed: bad facts are bad input. */
    public static void check(ProvenanceInputs inputs, ImageRef target) {
        inputs.statement(target.name(), SAMPLE_DIGEST, inputs.startedOn() != null ? inputs.startedOn() : Instant.EPOCH);
    }

    /**
     * Seals the provenance of {@code image} (pinned by digest) in a DSSE envelope, signed with {@code key} or
     * unsigned when it is {@code null}, and attaches it to the image.
     */
    public static Attached attach(RegistryClient client, ImageRef image, ProvenanceInputs inputs, SigningKey key, Clock clock) {
        Digest digest = image.requireDigest("image");
        return new ArtifactAttacher(client, clock)
                .attachAttestation(image, Attestations.seal(inputs.statement(image.name(), digest, clock.instant()), key));
    }
}
