package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.provenance.Attestations;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import java.time.Clock;
import java.time.Instant;

/**
 * An image's provenance made where the signing key is: in Jenkins, the image is pushed from the agent that built it,
 * while the key stays on the controller, out of reach of the build's own steps (what SLSA asks of signing secrets).
 * The controller seals the statement for the archive's digest ({@link #seal}); the agent pushes it with the image,
 * attached before the tag is written.
 */
public final class BuildProvenance {

    private static final Digest SAMPLE_DIGEST = Digest.sha256(new byte[0]);

    private BuildProvenance() {}

    /** Checks the facts the way the real statement will, before anything is pushed: bad facts are bad input. */
    public static void check(ProvenanceInputs inputs, ImageRef target) {
        inputs.statement(target.name(), SAMPLE_DIGEST, inputs.startedOn() != null ? inputs.startedOn() : Instant.EPOCH);
    }

    /**
     * Seals the provenance of the image {@code target} will hold, {@code digest}, in a DSSE envelope, signed with
     * {@code key} or unsigned when it is {@code null}: made where the key is, attached where the image is pushed from
     * ({@link io.jenkins.plugins.immutabledeployment.attestation.ReleasePublisher}), before its tag.
     */
    public static Envelope seal(ImageRef target, Digest digest, ProvenanceInputs inputs, SigningKey key, Clock clock) {
        return Attestations.seal(inputs.statement(target.name(), digest, clock.instant()), key);
    }
}
