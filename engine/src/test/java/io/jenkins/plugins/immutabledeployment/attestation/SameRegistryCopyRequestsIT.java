package io.jenkins.plugins.immutabledeployment.attestation;

import static io.jenkins.plugins.immutabledeployment.attestation.ReferrersIT.client;
import static io.jenkins.plugins.immutabledeployment.attestation.ReferrersIT.envelope;
import static io.jenkins.plugins.immutabledeployment.attestation.ReferrersIT.pushed;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.promotion.Promoter;
import io.jenkins.plugins.immutabledeployment.promotion.Promotion;
import io.jenkins.plugins.immutabledeployment.promotion.PromotionGates;
import io.jenkins.plugins.immutabledeployment.testing.FaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests a copy within one registry (distribution 2.8: no referrers API, so the tag schema) makes, counted in
 * the real registry's access log. Issue 12's target is "blobs + attachments + 3": every blob mounted (the image's
 * and each attachment's), one manifest write per attachment, and 3 (the source manifest read, the image manifest
 * write, the tag write). The checks that make the tag-last order verified (issue 11) and the look-up of what is
 * attached cost more, each named in {@link #GUARANTEES} and {@link #withAttachments}; a copy must stay within the
 * target plus those.
 */
class SameRegistryCopyRequestsIT {

    /**
     * Without attachments: the tag read before anything is written and whether the digest is there already (what a
     * failed tag write may undo), the tag read again right before its write and read back after it (4); whether the
     * source has referrers: the referrers API (404 here) and the repository's tag list (2).
     */
    static final int GUARANTEES = 4 + 2;
    /**
     * With attachments: each attachment's manifest read from the source (one each); the source's referrers index
     * read, the target's tag list (nothing attached there yet), its referrers index written once for all, and the
     * check after that write (tag list and index read) that catches a concurrent writer's entry (5).
     */
    static int withAttachments(int attachments) {
        return attachments == 0 ? 0 : attachments + 5;
    }

    /**
     * Round trips one after the other for a copy with 2 attachments: the first reads (the tag check, the source
     * manifest, the referrers API, the source's tag list and referrers index, the attachments' manifests with the
     * target's tag list: 4), every blob mounted at once (1), the image manifest (1), the attachments under their entry
     * tags (1), the referrers index write and its check (2), the tag read again, written and read back (3).
     */
    static final int ROUND_TRIPS_WITH_TWO_ATTACHMENTS = 12;
    /**
     * A promotion of that image: the copy with the attachments along it (its first reads are the promotion's
     * checks: the source manifest, the tag read and whether the digest is there), and its own attestation attached
     * before the tag (the envelope and the empty config uploaded while the image is read for the subject: 3; the
     * artifact stored where the referrers API would index it and under its entry tag: 2; the referrers index read,
     * written and checked: 3). Before, the checks came first, one after the other (22 round trips, and 28 when the
     * attachments were copied after the image).
     */
    static final int PROMOTION_ROUND_TRIPS_WITH_TWO_ATTACHMENTS = ROUND_TRIPS_WITH_TWO_ATTACHMENTS + 3 + 2 + 3;
    /**
     * The same promotion requiring provenance: the gate's reads (the source manifest, what is attached to it, the
     * provenance's manifest) go along the copy's first reads, and the provenance's envelope takes one more. Before,
     * the gate was checked before the copy began (26 round trips).
     */
    static final int GATED_PROMOTION_ROUND_TRIPS_WITH_TWO_ATTACHMENTS = PROMOTION_ROUND_TRIPS_WITH_TWO_ATTACHMENTS + 1;

    @AutoClose
    private static final RegistryServer registry = RegistryServer.plain();
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} attachment(s)")
    @ValueSource(ints = {0, 1, 2})
    void copyOfAOneLayerImageStaysWithinTheTargetPlusTheNamedChecks(int attachments) throws Exception {
        ImageRef image = imageWithAttachments("count" + attachments, attachments);
        RegistryClient client = client(registry);
        Manifest manifest = client.getManifest(image.repository(), image.digest().toString());
        int blobs = manifest.blobs().size() + 2 * attachments; // an attachment: the empty config and its content
        int logBefore = registry.accessLog().size();

        RegistryClient copying = client(registry); // one client per registry, as the command line has
        ImageWithReferrersCopier.Copied copy = new ImageWithReferrersCopier(copying, copying, Progress.NONE)
                .copy(image, registry.ref("count" + attachments + "/target:1"), TagPolicy.IMMUTABLE);

        List<String> requests = registry.accessLog().subList(logBefore, registry.accessLog().size());
        assertThat(copy.referrersCopied()).isEqualTo(attachments);
        assertThat(Skopeo.inspectDigest(registry, "count" + attachments + "/target:1")).isEqualTo(image.digest());
        assertThat(requests).as("requests of the copy:%n%s", String.join("\n", requests))
                .hasSizeLessThanOrEqualTo(blobs + attachments + 3 + GUARANTEES + withAttachments(attachments));
    }

    /** Requests sent at once take one latency for all; the copy waits for at most the round trips named. */
    @Test
    void copyWithTwoAttachmentsWaitsForAtMostTheNamedRoundTrips() throws Exception {
        throughDistantRegistry("rounds", ROUND_TRIPS_WITH_TWO_ATTACHMENTS, (client, from, to) ->
                assertThat(new ImageWithReferrersCopier(client, client, Progress.NONE)
                        .copy(from, to, TagPolicy.IMMUTABLE).referrersCopied()).isEqualTo(2));
    }

    /** A promotion copies the attachments along the image's copy, as {@code copy} does, not after it. */
    @Test
    void promotionWithTwoAttachmentsWaitsForAtMostTheNamedRoundTrips() throws Exception {
        throughDistantRegistry("promoted", PROMOTION_ROUND_TRIPS_WITH_TWO_ATTACHMENTS, (client, from, to) ->
                assertThat(new Promoter(client, client, Clock.systemUTC(), Progress.NONE)
                        .promote(Promotion.of(from, to, "staging")).referrersCopied()).isEqualTo(2));
    }

    /** The gates go along the copy's first reads too, not before them. */
    @Test
    void gatedPromotionWithTwoAttachmentsWaitsForAtMostTheNamedRoundTrips() throws Exception {
        throughDistantRegistry("gated", GATED_PROMOTION_ROUND_TRIPS_WITH_TWO_ATTACHMENTS, (client, from, to) ->
                assertThat(new Promoter(client, client, Clock.systemUTC(), Progress.NONE)
                        .promote(Promotion.of(from, to, "staging").withGates(new PromotionGates(true, null, null)))
                        .gates()).hasSize(1));
    }

    interface Transfer {
        void run(RegistryClient client, ImageRef from, ImageRef to);
    }

    /**
     * Runs {@code transfer} of an image with 2 attachments from {@code REPOSITORY/source} to
     * {@code REPOSITORY/target:1} through a proxy that answers each request no sooner than 150 ms after it arrived,
     * and checks the longest chain of requests each sent after the previous one's answer.
     */
    private void throughDistantRegistry(String repository, int roundTrips, Transfer transfer) throws Exception {
        ImageRef image = imageWithAttachments(repository, 2);
        try (FaultProxy proxy = FaultProxy.to(registry)) {
            proxy.latency(Duration.ofMillis(150));
            transfer.run(new RegistryClient(proxy.host(), registry.connection()),
                    ImageRef.parse(proxy.host() + "/" + image.repository() + "@" + image.digest(), "image"),
                    ImageRef.parse(proxy.host() + "/" + repository + "/target:1", "to"));
            assertThat(proxy.roundTrips()).as("round trips:%n%s", timeline(proxy)).isLessThanOrEqualTo(roundTrips);
        }
        assertThat(Skopeo.inspectDigest(registry, repository + "/target:1")).isEqualTo(image.digest());
    }

    static String timeline(FaultProxy proxy) {
        List<FaultProxy.Exchange> exchanges = proxy.timeline();
        long start = exchanges.stream().mapToLong(FaultProxy.Exchange::arrived).min().orElse(0);
        StringBuilder text = new StringBuilder();
        exchanges.stream().sorted(java.util.Comparator.comparingLong(FaultProxy.Exchange::arrived)).forEach(e ->
                text.append(String.format("%6d %6d ms  %s%n", (e.arrived() - start) / 1_000_000,
                        (e.answered() - start) / 1_000_000, e.request())));
        return text.toString();
    }

    /** A one-layer image pushed to {@code REPOSITORY/source} with 0, 1 (provenance) or 2 (and an SBOM) attachments. */
    private ImageRef imageWithAttachments(String repository, int attachments) throws Exception {
        RegistryClient client = client(registry);
        ImageRef image = pushed(client, registry.ref(repository + "/source:1"));
        ArtifactAttacher attacher = new ArtifactAttacher(client, Clock.systemUTC());
        if (attachments >= 1) {
            attacher.attachAttestation(image, envelope(image, repository));
        }
        if (attachments >= 2) {
            Path bom = Files.writeString(work.resolve("bom.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}");
            attacher.attachSbom(image, Sbom.read(bom, "sbom"), Progress.NONE);
        }
        return image;
    }
}
