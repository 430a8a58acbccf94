package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.promotion.PromotionGates;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The gates of {@code promote} and {@code rollout} ({@code @Mixin GateOptions gates;}), checked before anything changes. */
final class GateOptions {

    @Option(names = "--require-provenance",
            description = "Gate: a SLSA provenance attestation about the digest must be attached (verified with"
                    + " --public-key when given).")
    boolean requireProvenance;

    @Option(names = "--public-key", paramLabel = "PEM",
            description = "The public key (SubjectPublicKeyInfo PEM file) the gates verify attestations with.")
    Path publicKey;

    @Option(names = "--require-promoted-to", paramLabel = "STAGE",
            description = "Gate: the digest must have been promoted to STAGE before (verified with --public-key when given).")
    String requirePromotedTo;

    /** The gates asked for; a bad key file or stage is refused as bad input naming the option. */
    PromotionGates gates() {
        return new PromotionGates(requireProvenance, requirePromotedTo,
                publicKey == null ? null : VerificationKey.fromPemFile(publicKey, "public-key"));
    }
}
