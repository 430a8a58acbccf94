package io.jenkins.plugins.immutabledeployment.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.attestation.Attached;
import io.jenkins.plugins.immutabledeployment.attestation.AttestationVerifier;
import io.jenkins.plugins.immutabledeployment.attestation.CheckedAttestation;
import io.jenkins.plugins.immutabledeployment.attestation.ImageAttestations;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import io.jenkins.plugins.immutabledeployment.provenance.SlsaProvenance;
import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import io.jenkins.plugins.immutabledeployment.testing.OpensslKeys;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.TestImages;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provenance of a pushed image, attached afterwards from where the key is, against the real docker-registry. */
class BuildProvenanceIT {

    private static final String SHA = "2f22765d04931a078909145ca628d2264c852d7d";

    private static RegistryServer registry;

    @BeforeAll
    static void start() {
        registry = RegistryServer.plain();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static ProvenanceInputs inputs(BuildRequest request) {
        BuildContext context = new BuildContext(
                BuildContext.builderId("https://jenkins.example.com/", "job/shop/job/api/"), "shop/api",
                BuildContext.buildUrl("https://jenkins.example.com/", "job/shop/job/api/42/"),
                Instant.parse("2025-06-03T09:12:04Z"), Map.of(), "agent-1",
                List.of(new SourceCommit("https://git.example.com/shop/api.git", SHA, "refs/heads/main")));
        return context.inputs(request, ImageBuilder.PODMAN, "0.1");
    }

    @Test
    void aSignedProvenanceAttachedAfterThePushVerifiesWithThePublicKey(@TempDir Path keys) {
        OpensslKeys pair = OpensslKeys.ecdsaP256(keys, "release");
        RegistryClient client = new RegistryClient(registry.host(), registry.connection());
        ImageRef target = registry.ref("shop/api:t1");
        BuildRequest request = BuildRequest.parse(Map.of("image", target.toString(), "builder", "podman"));
        ProvenanceInputs inputs = inputs(request);
        BuildProvenance.check(inputs, target);
        PushResult pushed = TestImages.push(client, target, Map.of("app.txt", "v1"));
        ImageRef image = target.withTag(null).withDigest(pushed.digest());

        Attached attached = BuildProvenance.attach(client, image, inputs, SigningKey.fromPem(pair.privatePem()), Clock.systemUTC());

        ImageAttestations found = new AttestationVerifier(client).check(image, VerificationKey.fromPem(pair.publicPem()));
        List<CheckedAttestation> provenance = found.ofType(SlsaProvenance.PREDICATE_TYPE);
        assertThat(provenance).singleElement().satisfies(p -> {
            assertThat(p.verified()).isTrue();
            assertThat(p.referrer().digest()).isEqualTo(attached.digest());
            SlsaProvenance predicate = p.statement().predicateAs(SlsaProvenance.class);
            assertThat(predicate.buildDefinition().externalParameters()).containsEntry("job", "shop/api");
            assertThat(predicate.buildDefinition().internalParameters()).containsEntry("builder", "podman");
            assertThat(predicate.runDetails().builder().id()).isEqualTo("https://jenkins.example.com/job/shop/job/api/");
        });
    }

    @Test
    void anUnsignedProvenanceIsFoundButNeverVerified() {
        RegistryClient client = new RegistryClient(registry.host(), registry.connection());
        ImageRef target = registry.ref("shop/unsigned:t1");
        PushResult pushed = TestImages.push(client, target, Map.of("app.txt", "v2"));
        ImageRef image = target.withTag(null).withDigest(pushed.digest());

        BuildProvenance.attach(client, image, inputs(BuildRequest.parse(Map.of("image", target.toString()))), null, Clock.systemUTC());

        ImageAttestations found = new AttestationVerifier(client).check(image, null);
        assertThat(found.ofType(SlsaProvenance.PREDICATE_TYPE)).singleElement().satisfies(p -> {
            assertThat(p.subjectMatches()).isTrue();
            assertThat(p.verified()).isFalse();
        });
    }

    @Test
    void badFactsAreRefusedBeforeAnythingIsPushed() {
        ProvenanceInputs noJob = ProvenanceInputs.of("https://jenkins.example.com/job/x/", "https://jenkins.example.com/job/x/1/", " ");
        assertThatThrownBy(() -> BuildProvenance.check(noJob, registry.ref("shop/api")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("job: is empty");
        assertThatThrownBy(() -> BuildProvenance.attach(null, registry.ref("shop/api:t1"), noJob, null, Clock.systemUTC()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("image: ");
    }
}
