package io.jenkins.plugins.immutabledeployment.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RetryPolicy;
import io.jenkins.plugins.immutabledeployment.provenance.Attestations;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import io.jenkins.plugins.immutabledeployment.provenance.SlsaProvenance;
import io.jenkins.plugins.immutabledeployment.testing.ReferrersApiRegistry;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attaching attestations and SBOMs to images and finding them again: through the referrers tag schema on the real
 * registry (which has no referrers API), and through the referrers API of the stand-in that has one.
 */
class ReferrersIT {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

    /** The default policy's five attempts for the race test's writers, with delays sized for a test. */
    private static final RetryPolicy RACING =
            new RetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(400), Duration.ofMillis(400));

    private static RegistryServer registry;
    private static ReferrersApiRegistry withApi;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        registry = RegistryServer.plain();
        withApi = ReferrersApiRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
        withApi.close();
    }

    @Test
    void attachesThroughTheTagSchemaWhereTheRegistryHasNoReferrersApi() {
        RegistryClient client = client(registry);
        ImageRef image = pushed(client, registry.ref("shop/api:1"));

        Attached attached = new ArtifactAttacher(client, CLOCK).attachAttestation(image, envelope(image, "shop/api"));

        assertThat(attached.mechanism()).isEqualTo(ReferrerMechanism.TAG_SCHEMA);
        // skopeo, reading the spec's index tag, sees the attestation with its artifactType and predicate type
        JsonNode index = rawJson(registry, "shop/api:sha256-" + image.digest().hex());
        assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.path("manifests")).hasSize(1);
        JsonNode entry = index.path("manifests").get(0);
        assertThat(entry.path("digest").asText()).isEqualTo(attached.digest().toString());
        assertThat(entry.path("artifactType").asText()).isEqualTo(ArtifactTypes.DSSE_ENVELOPE);
        assertThat(entry.path("annotations").path("in-toto.io/predicate-type").asText())
                .isEqualTo(SlsaProvenance.PREDICATE_TYPE);
        // the artifact manifest: OCI 1.1 artifact with the empty config and the image as subject
        JsonNode artifact = rawJson(registry, "shop/api@" + attached.digest());
        assertThat(artifact.path("config").path("mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
        assertThat(artifact.path("config").path("size").asInt()).isEqualTo(2);
        assertThat(artifact.path("layers").get(0).path("mediaType").asText()).isEqualTo(ArtifactTypes.DSSE_ENVELOPE);
        assertThat(artifact.path("subject").path("digest").asText()).isEqualTo(image.digest().toString());

        Referrers referrers = new Referrers(client);
        assertThat(referrers.list("shop/api", image.digest()).mechanism()).isEqualTo(ReferrerMechanism.TAG_SCHEMA);
        assertThat(referrers.list("shop/api", image.digest(), ArtifactTypes.DSSE_ENVELOPE))
                .extracting(Descriptor::digest).containsExactly(attached.digest());
        assertThat(referrers.list("shop/api", image.digest(), ArtifactTypes.SPDX_JSON)).isEmpty();

        // attaching the same bytes again adds nothing
        new ArtifactAttacher(client, CLOCK).attachAttestation(image, envelope(image, "shop/api"));
        assertThat(rawJson(registry, "shop/api:sha256-" + image.digest().hex()).path("manifests")).hasSize(1);
    }

    @Test
    void attachesSbomsOfBothFormatsAndRefusesOtherFilesBeforeWriting() throws Exception {
        RegistryClient client = client(registry);
        ImageRef image = pushed(client, registry.ref("shop/sbom:1"));
        Path cyclonedx = Files.writeString(work.resolve("bom.json"),
                "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"name\":\"a\"}]}");
        Path spdx = Files.writeString(work.resolve("sbom.spdx.json"),
                "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"packages\":[]}");
        Path other = Files.writeString(work.resolve("other.json"), "{\"name\":\"not an sbom\"}");
        ArtifactAttacher attacher = new ArtifactAttacher(client, CLOCK);

        Attached first = attacher.attachSbom(image, Sbom.read(cyclonedx, "sbom"), Progress.NONE);
        Attached second = attacher.attachSbom(image, Sbom.read(spdx, "sbom"), Progress.NONE);

        Referrers referrers = new Referrers(client);
        assertThat(referrers.list("shop/sbom", image.digest(), ArtifactTypes.CYCLONEDX_JSON))
                .extracting(Descriptor::digest).containsExactly(first.digest());
        assertThat(referrers.list("shop/sbom", image.digest(), ArtifactTypes.SPDX_JSON))
                .extracting(Descriptor::digest).containsExactly(second.digest());
        Manifest artifact = client.getManifest("shop/sbom", first.digest().toString());
        Descriptor layer = artifact.layers().get(0);
        assertThat(layer.annotations()).containsEntry(ArtifactTypes.TITLE_ANNOTATION, "bom.json");
        assertThat(client.getBlob("shop/sbom", layer.digest(), 1 << 20)).isEqualTo(Files.readAllBytes(cyclonedx));

        List<String> before = registry.storageListing();
        assertThatThrownBy(() -> Sbom.read(other, "sbom"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("sbom: ")
                .hasMessageContaining("neither CycloneDX nor SPDX");
        assertThat(registry.storageListing()).isEqualTo(before);
    }

    @Test
    void concurrentWritersNeverLoseAnotherWritersEntry() throws Exception {
        ImageRef image = pushed(client(registry), registry.ref("race/api:1"));
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Attached>> attached = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                String job = "race/writer-" + i;
                // Separate writers, as separate builds would be, as patient as the default policy is with the
                // registry's own race (it rewrites the index tag's link in place, and a read meanwhile gets a 500).
                RegistryClient own = new RegistryClient(registry.host(), registry.connection().withRetry(RACING));
                attached.add(pool.submit(() -> {
                    go.await();
                    return new ArtifactAttacher(own, CLOCK).attachAttestation(image, envelope(image, job));
                }));
            }
            go.countDown();
            List<Digest> digests = new ArrayList<>();
            for (Future<Attached> result : attached) {
                digests.add(result.get(60, TimeUnit.SECONDS).digest());
            }

            assertThat(digests).doesNotHaveDuplicates().hasSize(writers);
            // The spec's index tag alone, as other tools read it, holds every writer's entry.
            JsonNode index = rawJson(registry, "race/api:sha256-" + image.digest().hex());
            List<String> indexed = new ArrayList<>();
            index.path("manifests").forEach(entry -> indexed.add(entry.path("digest").asText()));
            assertThat(indexed).containsExactlyInAnyOrderElementsOf(digests.stream().map(Digest::toString).toList());
            assertThat(new Referrers(client(registry)).list("race/api", image.digest(), ArtifactTypes.DSSE_ENVELOPE))
                    .extracting(Descriptor::digest).containsExactlyInAnyOrderElementsOf(digests);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void usesTheReferrersApiWhereTheRegistryHasOne() {
        RegistryClient client = new RegistryClient(withApi.host(), withApi.backend().connection());
        ImageRef image = pushed(client, ImageRef.parse(withApi.host() + "/shop/api:1", "image"));
        ArtifactAttacher attacher = new ArtifactAttacher(client, CLOCK);
        List<Digest> attestations = new ArrayList<>();
        for (String job : List.of("shop/a", "shop/b", "shop/c")) {
            Attached attached = attacher.attachAttestation(image, envelope(image, job));
            assertThat(attached.mechanism()).isEqualTo(ReferrerMechanism.REFERRERS_API);
            attestations.add(attached.digest());
        }

        // no tag schema: the registry indexed the subjects itself
        assertThat(client.listTags("shop/api")).containsExactly("1");
        Referrers referrers = new Referrers(client);
        Referrers.Listing listing = referrers.list("shop/api", image.digest());
        assertThat(listing.mechanism()).isEqualTo(ReferrerMechanism.REFERRERS_API);
        assertThat(listing.referrers()).extracting(Descriptor::digest).containsExactlyElementsOf(attestations);
        assertThat(referrers.list("shop/api", image.digest(), ArtifactTypes.DSSE_ENVELOPE)).hasSize(3);
        assertThat(referrers.list("shop/api", image.digest(), ArtifactTypes.CYCLONEDX_JSON)).isEmpty();
        // three referrers in pages of two: the client followed the Link header
        assertThat(withApi.requests()).anyMatch(r -> r.startsWith("GET /v2/shop/api/referrers/") && r.contains("start=2"));
    }

    static ImageRef pushed(RegistryClient client, ImageRef target) {
        PushResult pushed = TestImages.push(client, target, Map.of("app", target.toString()));
        return target.withTag(null).withDigest(pushed.digest());
    }

    static Envelope envelope(ImageRef image, String job) {
        return Attestations.seal(ProvenanceInputs.of("https://ci.example.com/job/" + job + "/",
                "https://ci.example.com/job/" + job + "/1/", job).statement(image.name(), image.digest(), null), null);
    }

    static RegistryClient client(RegistryServer server) {
        return new RegistryClient(server.host(), server.connection());
    }

    static JsonNode rawJson(RegistryServer server, String repositoryAndReference) {
        try {
            return Json.mapper().readTree(Skopeo.inspectRaw(server, repositoryAndReference));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
