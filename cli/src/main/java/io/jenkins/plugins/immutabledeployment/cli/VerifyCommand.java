package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.AttestationVerifier;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verify --image REPO@sha256:HEX [--public-key PEM]}: the provenance and promotion history of a digest. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Print the provenance and promotion history attached to an image digest, with signed and"
                + " verified per attestation.")
final class VerifyCommand extends JsonCommand {

    @Option(names = "--image", required = true, paramLabel = "REPO@sha256:HEX", description = "The image, pinned by digest.")
    String image;

    @Option(names = "--public-key", paramLabel = "PEM",
            description = "The trusted public key (SubjectPublicKeyInfo PEM file); without it nothing is reported verified.")
    Path publicKey;

    @Mixin
    RegistryOptions registry;

    @Override
    protected Object execute(Progress progress) {
        ImageRef ref = ImageRef.parse(image, "image").pinned("image");
        VerificationKey key = publicKey == null ? null : VerificationKey.fromPemFile(publicKey, "public-key");
        registry.validate();
        return new AttestationVerifier(registry.client(ref)).report(ref, key);
    }
}
