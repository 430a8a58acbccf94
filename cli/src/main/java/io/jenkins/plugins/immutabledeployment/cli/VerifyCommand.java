package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.AttestationVerifier;
import io.jenkins.plugins.immutabledeployment.attestation.VerifyReport;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code verify --image REPO@sha256:HEX [--public-key PEM [--report-only]]}: the provenance and promotion history of a
 * digest. With a key, nothing that verifies with it is a failure (exit 1, kind {@code unverified}, the report
 * inside the error), as cosign users and CI scripts expect; {@code --report-only} keeps the report-only exit 0.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Print the provenance and promotion history attached to an image digest, with signed and"
                + " verified per attestation.")
final class VerifyCommand extends JsonCommand {

    @Option(names = "--image", required = true, paramLabel = "REPO@sha256:HEX", description = "The image, pinned by digest.")
    String image;

    @Option(names = "--public-key", paramLabel = "PEM",
            description = "The trusted public key (SubjectPublicKeyInfo PEM file); without it nothing is reported verified.")
    Path publicKey;

    @Option(names = "--report-only",
            description = "With --public-key: print the report and exit 0 even when nothing verifies with the key.")
    boolean reportOnly;

    @Mixin
    RegistryOptions registry;

    @Override
    protected Object execute(Progress progress) {
        ImageRef ref = ImageRef.parse(image, "image").pinned("image");
        VerificationKey key = publicKey == null ? null : VerificationKey.fromPemFile(publicKey, "public-key");
        registry.validate(root());
        VerifyReport report = new AttestationVerifier(registry.client(ref)).report(ref, key);
        if (key != null && !reportOnly && !anyVerified(report)) {
            throw new NothingVerifiedException(report);
        }
        return report;
    }

    private static boolean anyVerified(VerifyReport report) {
        return report.provenance().stream().anyMatch(entry -> entry.check().verified())
                || report.promotions().stream().anyMatch(entry -> entry.check().verified())
                || report.otherAttestations().stream().anyMatch(entry -> entry.check().verified());
    }
}
