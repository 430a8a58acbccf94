package io.jenkins.plugins.immutabledeployment.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.AttestationVerifier;
import io.jenkins.plugins.immutabledeployment.attestation.CheckedAttestation;
import io.jenkins.plugins.immutabledeployment.attestation.ImageAttestations;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.attestation.ReleasePublisher;
import io.jenkins.plugins.immutabledeployment.attestation.ReleaseResult;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import io.jenkins.plugins.immutabledeployment.provenance.SlsaProvenance;
import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import io.jenkins.plugins.immutabledeployment.testing.OpensslKeys;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provenance of an image sealed where the key is and pushed with it, before its tag, against the real docker-registry. */
class BuildProvenanceIT {

    private static final String SHA = "2f22765d04931a078909145ca628d2264c852d7d";

    @AutoClose
    private static final RegistryServer registry = RegistryServer.plain();

    private static ProvenanceInputs inputs(BuildRequest request) {
        BuildContext context = new BuildContext(
                BuildContext.builderId("https://jenkins.example.com/", "job/shop/job/api/"), "shop/api",
                BuildContext.buildUrl("https://jenkins.example.com/", "job/shop/job/api/42/"),
                Instant.parse("2025-06-03T09:12:04Z"), Map.of(), "agent-1",
                List.of(new SourceCommit("https://git.example.com/shop/api.git", SHA, "refs/heads/main")));
        return context.inputs(request, ImageBuilder.PODMAN, "0.1");
    }

    @Test
    void aProvenanceSealedWhereTheKeyIsIsAttachedBeforeTheTagAndVerifiesWithThePublicKey(@TempDir Path dir) {
        OpensslKeys pair = OpensslKeys.ecdsaP256(dir, "release");
        RegistryClient client = new RegistryClient(registry.host(), registry.connection());
        ImageRef target = registry.ref("shop/api:t1");
        BuildRequest request = BuildRequest.parse(Map.of("image", target.toString(), "builder", "podman"));
        ProvenanceInputs inputs = inputs(request);
        BuildProvenance.check(inputs, target);
        Path layout = Umoci.imageWithFiles(dir.resolve("layout"), "latest", Map.of("app.txt", "v1"));

        ReleaseResult pushed;
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            // Sealed on the controller (where the key is) for the archive's digest; pushed from the agent.
            Envelope sealed = BuildProvenance.seal(target, archive.root().digest(), inputs, SigningKey.fromPem(pair.privatePem()),
                    Clock.systemUTC());
            pushed = new ReleasePublisher(client, Clock.systemUTC(), Progress.NONE).push(archive, target, TagPolicy.IMMUTABLE, sealed, null);
        }

        assertThat(pushed.signed()).isTrue();
        ImageRef image = target.withTag(null).withDigest(pushed.push().digest());
        assertThat(client.resolve("shop/api", "t1")).contains(pushed.push().digest());
        ImageAttestations found = new AttestationVerifier(client).check(image, VerificationKey.fromPem(pair.publicPem()));
        List<CheckedAttestation> provenance = found.ofType(SlsaProvenance.PREDICATE_TYPE);
        assertThat(provenance).singleElement().satisfies(p -> {
            assertThat(p.verified()).isTrue();
            assertThat(p.referrer().digest()).isEqualTo(pushed.provenance());
            SlsaProvenance predicate = p.statement().predicateAs(SlsaProvenance.class);
            assertThat(predicate.buildDefinition().externalParameters()).containsEntry("job", "shop/api");
            assertThat(predicate.buildDefinition().internalParameters()).containsEntry("builder", "podman");
            assertThat(predicate.runDetails().builder().id()).isEqualTo("https://jenkins.example.com/job/shop/job/api/");
        });
    }

    @Test
    void aProvenanceSealedForAnotherDigestIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
        RegistryClient client = new RegistryClient(registry.host(), registry.connection());
        ImageRef target = registry.ref("shop/other:t1");
        Path layout = Umoci.imageWithFiles(dir.resolve("layout"), "latest", Map.of("app.txt", "v2"));
        Envelope forAnother = BuildProvenance.seal(target, Digest.sha256(new byte[] {1}),
                inputs(BuildRequest.parse(Map.of("image", target.toString()))), null, Clock.systemUTC());

        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            assertThatThrownBy(() -> new ReleasePublisher(client, Clock.systemUTC(), Progress.NONE)
                    .push(archive, target, TagPolicy.IMMUTABLE, forAnother, null))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("provenance: is not about the archive's image");
        }
        assertThat(client.findManifest("shop/other", "t1")).isEmpty();
    }

    @Test
    void badFactsAreRefusedBeforeAnythingIsPushed() {
        ProvenanceInputs noJob = ProvenanceInputs.of("https://jenkins.example.com/job/x/", "https://jenkins.example.com/job/x/1/", " ");
        assertThatThrownBy(() -> BuildProvenance.check(noJob, registry.ref("shop/api")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("job: is empty");
    }
}
