package io.jenkins.plugins.immutabledeployment.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.testing.FaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes through a proxy that answers each request no sooner than 150 ms after it arrived (a distant registry):
 * requests that do not depend on each other go at once.
 */
class PushRoundTripsIT {

    /**
     * The attachments' share of the push's round trips: their blobs uploaded while the image is read for their
     * subject (3), their manifests stored where the referrers API would index them and under their entry tags (2),
     * one referrers index read, written and checked (3). Before, provenance then SBOM one after the other, each with
     * its own subject read and index write, took 21.
     */
    static final int ATTACHMENTS_ROUND_TRIPS = 3 + 2 + 3;
    /**
     * A push of a 1-layer image without attachments: the tag read, whether the manifest and each blob are there
     * already, at once (1); each blob's upload session opened and its bytes sent (2); the manifest stored by digest
     * (1); the tag read again, written and read back (3). Before, the tag read, the manifest check and the blob
     * checks came one after the other (9; 8 with the blob checks alongside the tag read).
     */
    static final int PUSH_ROUND_TRIPS = 1 + 2 + 1 + 3;

    @AutoClose
    private static final RegistryServer registry = RegistryServer.plain();
    @TempDir
    Path work;

    @Test
    void pushChecksTheTagTheManifestAndTheBlobsAtOnce() throws Exception {
        Path layout = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("app", "round trips"));

        RoundTrips push = pushThroughDistantRegistry(layout, "single/api:1", null, null);

        assertThat(push.count()).as("round trips:%n%s", push.timeline()).isLessThanOrEqualTo(PUSH_ROUND_TRIPS);
    }

    @Test
    void provenanceAndSbomAreAttachedTogether() throws Exception {
        Path layout = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("app", "round trips"));
        Path bom = Files.writeString(work.resolve("bom.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}");
        RoundTrips without = pushThroughDistantRegistry(layout, "plain/api:1", null, null);

        RoundTrips with = pushThroughDistantRegistry(layout, "attached/api:1",
                ProvenanceInputs.of("https://ci.example.com/job/shop/", "https://ci.example.com/job/shop/1/", "shop"), bom);

        assertThat(with.count() - without.count())
                .as("round trips with attachments:%n%swithout:%n%s", with.timeline(), without.timeline())
                .isLessThanOrEqualTo(ATTACHMENTS_ROUND_TRIPS);
    }

    record RoundTrips(int count, String timeline) {}

    private RoundTrips pushThroughDistantRegistry(Path layout, String repositoryAndTag, ProvenanceInputs provenance, Path sbom)
            throws Exception {
        try (FaultProxy proxy = FaultProxy.to(registry); ImageArchive archive = ImageArchive.open(layout, "archive")) {
            proxy.latency(Duration.ofMillis(150));
            ReleaseResult release = new ReleasePublisher(new RegistryClient(proxy.host(), registry.connection()),
                    Clock.systemUTC(), message -> {}).push(archive,
                    ImageRef.parse(proxy.host() + "/" + repositoryAndTag, "image"), TagPolicy.IMMUTABLE, provenance,
                    null, sbom);
            assertThat(release.provenance() != null).isEqualTo(provenance != null);
            assertThat(release.sbom() != null).isEqualTo(sbom != null);
            assertThat(Skopeo.inspectDigest(registry, repositoryAndTag)).isEqualTo(release.push().digest());
            return new RoundTrips(proxy.roundTrips(), SameRegistryCopyRequestsIT.timeline(proxy));
        }
    }
}
