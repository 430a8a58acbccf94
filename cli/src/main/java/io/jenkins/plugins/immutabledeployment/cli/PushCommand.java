package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.attestation.ReleasePublisher;
import io.jenkins.plugins.immutabledeployment.oci.ArchiveLocation;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code push --archive PATH[:REF] --image REPO[:TAG] [--tag-policy immutable|overwrite] [--sign-key PEM]
 * [--no-provenance] [--sbom FILE]}: the image, then its provenance (on by default) and SBOM, attached to its digest.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Push an image archive (OCI layout directory, OCI archive or docker save tarball) and attach its"
                + " SLSA provenance; prints its digest.")
final class PushCommand extends JsonCommand {

    @Option(names = "--archive", required = true, paramLabel = "PATH[:REF]",
            description = "OCI image layout directory, OCI archive (tar, optionally gzip) or docker save tarball;"
                    + " :REF picks one image of several (its org.opencontainers.image.ref.name, or a docker save"
                    + " REPO:TAG), as skopeo's oci:DIR:REF does.")
    String archive;

    @Option(names = "--image", required = true, paramLabel = "REPO[:TAG]",
            description = "Where to push; the digest is computed from what is pushed.")
    String image;

    @Option(names = "--sign-key", paramLabel = "PEM",
            description = "Sign the provenance with this private key: an unencrypted PKCS#8 PEM file (ECDSA P-256 or"
                    + " Ed25519). Without it the provenance is attached unsigned.")
    Path signKey;

    @Option(names = "--no-provenance", description = "Do not attach provenance (it is attached by default).")
    boolean noProvenance;

    @Option(names = "--sbom", paramLabel = "FILE", description = "Attach this SBOM (CycloneDX or SPDX JSON) to the image.")
    Path sbom;

    @Mixin
    TagPolicyOption tagPolicy = new TagPolicyOption();

    @Mixin
    ProvenanceOptions provenanceOptions = new ProvenanceOptions();

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Override
    protected Object execute(Progress progress) {
        Instant startedOn = Instant.now();
        ImageRef target = ImageRef.parse(image, "image").requireNoDigest("image");
        ArchiveLocation location = ArchiveLocation.parse(archive, Path.of(""), "archive");
        TagPolicy policy = tagPolicy.policy();
        if (noProvenance && signKey != null) {
            throw new InvalidInputException("sign-key", "is given with --no-provenance, so there is nothing to sign",
                    "--sign-key PEM without --no-provenance");
        }
        SigningKey key = signKey == null ? null : SigningKey.fromPemFile(signKey, "sign-key");
        ProvenanceInputs provenance = noProvenance ? null
                : provenanceOptions.inputs(CiEnvironment.detect(System.getenv()), target, archive, startedOn);
        registry.validate(root());
        // The client first: it is ready by the time the archive is, whose JSON waits for Jackson (Warmup).
        RegistryClient client = registry.client(target);
        try (ImageArchive opened = location.open("archive")) {
            return new ReleasePublisher(client, Clock.systemUTC(), progress)
                    .push(opened, target, policy, provenance, key, sbom);
        }
    }
}
