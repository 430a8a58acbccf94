package io.jenkins.plugins.immutabledeployment.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.ArtifactAttacher;
import io.jenkins.plugins.immutabledeployment.attestation.AttestationVerifier;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.attestation.ReferrerMechanism;
import io.jenkins.plugins.immutabledeployment.attestation.ReleasePublisher;
import io.jenkins.plugins.immutabledeployment.attestation.ReleaseResult;
import io.jenkins.plugins.immutabledeployment.attestation.VerifyReport;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.IntegrityException;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagConflictException;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.provenance.Attestations;
import io.jenkins.plugins.immutabledeployment.provenance.Dsse;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import io.jenkins.plugins.immutabledeployment.provenance.Statement;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import io.jenkins.plugins.immutabledeployment.testing.Command;
import io.jenkins.plugins.immutabledeployment.testing.FaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.OpensslKeys;
import io.jenkins.plugins.immutabledeployment.testing.RegistriesAndKeys;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.TestImages;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push with provenance, promote through stages and verify, against two real registries (no referrers API: every
 * attestation travels through the tag schema), with signatures made from keys openssl generated.
 */
class PromotionIT {

    private static final String COMMIT = "8d3c0e6f2a9b41d7c5e08f1a2b3c4d5e6f708192";

    @RegisterExtension
    static final RegistriesAndKeys env = new RegistriesAndKeys("signer", "stranger");

    private final RegistryServer registry = env.registry();
    private final RegistryServer other = env.other();
    private final OpensslKeys signer = env.keys("signer");
    private final OpensslKeys stranger = env.keys("stranger");

    @TempDir
    Path work;

    private final List<String> progress = new CopyOnWriteArrayList<>();

    @Test
    void pushedProvenanceIsFoundThroughTheTagSchemaAndVerifies() throws Exception {
        Path bom = Files.writeString(work.resolve("bom.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}");
        ReleaseResult release = release(registry, "shop/api:1", signingKey(), bom);

        assertThat(release.provenance()).isNotNull();
        assertThat(release.signed()).isTrue();
        assertThat(release.keyid()).isEqualTo(publicKey().keyid());
        assertThat(release.referrers()).isEqualTo(ReferrerMechanism.TAG_SCHEMA);
        ImageRef image = ImageRef.parse(release.push().image(), "image");

        VerifyReport report = verify(registry, image, publicKey());
        assertThat(report.referrers()).isEqualTo(ReferrerMechanism.TAG_SCHEMA);
        assertThat(report.provenanceVerified()).isTrue();
        assertThat(report.provenance()).singleElement().satisfies(p -> {
            assertThat(p.check().attestation()).isEqualTo(release.provenance());
            assertThat(p.check().signed()).isTrue();
            assertThat(p.check().verified()).isTrue();
            assertThat(p.check().keyid()).isEqualTo(publicKey().keyid());
            assertThat(p.buildUrl()).isEqualTo("https://ci.example.com/job/shop/42/");
            assertThat(p.statement().path("subject").get(0).path("digest").path("sha256").asText())
                    .isEqualTo(image.digest().hex());
        });
        assertThat(report.sboms()).singleElement().satisfies(s -> assertThat(s.artifact()).isEqualTo(release.sbom()));
        assertThat(report.promotions()).isEmpty();
        assertThat(report.unreadable()).isEmpty();

        // without the public key: signed, but not verified
        VerifyReport unkeyed = verify(registry, image, null);
        assertThat(unkeyed.provenanceVerified()).isFalse();
        assertThat(unkeyed.provenance().get(0).check().signed()).isTrue();
        assertThat(unkeyed.provenance().get(0).check().verified()).isFalse();

        // openssl, given only the public key, verifies the signature of the envelope as stored in the registry
        Envelope envelope = storedEnvelope(client(registry), "shop/api", release.provenance());
        Files.write(work.resolve("pae.bin"), Dsse.pae(envelope.payloadType(), envelope.payloadBytes()));
        Files.write(work.resolve("sig.bin"), envelope.signatures().get(0).sigBytes());
        assertThat(Command.run(List.of("openssl", "dgst", "-sha256", "-verify", signer.publicKey().toString(),
                "-signature", work.resolve("sig.bin").toString(), work.resolve("pae.bin").toString())))
                .contains("Verified OK");

        assertNoPrivateKeyIn(registry, Json.mapper().writeValueAsString(report), String.join("\n", progress));
    }

    @Test
    void promotionCarriesTheAttestationsAndALaterPromotionRequiresTheEarlierStage() throws Exception {
        ReleaseResult release = release(registry, "dev/web:1", signingKey(), null);
        ImageRef built = ImageRef.parse(release.push().image(), "image");
        RegistryClient client = client(registry);
        Instant approvedAt = Instant.parse("2025-03-02T08:15:00Z");

        PromotionResult staging = new Promoter(client, client, Clock.systemUTC(), progress::add).promote(
                Promotion.of(built, registry.ref("staging/web:rc-1"), "staging")
                        .withApproval(new PromotionPredicate.Approval("alice", approvedAt, "looks good"))
                        .withBuildUrl("https://ci.example.com/job/release/7/")
                        .withSigningKey(signingKey()));

        assertThat(staging.digest()).isEqualTo(built.digest());
        assertThat(staging.tag()).isEqualTo("rc-1");
        assertThat(staging.signed()).isTrue();
        assertThat(staging.referrersCopied()).isEqualTo(1);
        assertThat(Skopeo.inspectDigest(registry, "staging/web:rc-1")).isEqualTo(built.digest());
        ImageRef inStaging = registry.ref("staging/web").withDigest(built.digest());
        VerifyReport stagingReport = verify(registry, inStaging, publicKey());
        assertThat(stagingReport.provenanceVerified()).isTrue();
        assertThat(stagingReport.promotions()).singleElement().satisfies(p -> {
            assertThat(p.check().verified()).isTrue();
            assertThat(p.promotion().stage()).isEqualTo("staging");
            assertThat(p.promotion().from()).isEqualTo(built.toString());
            assertThat(p.promotion().to()).isEqualTo(registry.host() + "/staging/web:rc-1");
            assertThat(p.promotion().approval()).isEqualTo(new PromotionPredicate.Approval("alice", approvedAt, "looks good"));
            assertThat(p.promotion().buildUrl()).isEqualTo("https://ci.example.com/job/release/7/");
        });

        assertThatThrownBy(() -> new Promoter(client, client, Clock.systemUTC(), progress::add).check(
                Promotion.of(inStaging, registry.ref("prod/web:release-1"), "production")
                        .withGates(new PromotionGates(false, "qa", null))))
                .isInstanceOf(GateFailedException.class)
                .as("a missing stage names the stages the image was promoted to")
                .hasMessageContaining("no promotion attestation to stage \"qa\" is attached (promotions attached: to stage"
                        + " \"staging\")");
        PromotionResult production = new Promoter(client, client, Clock.systemUTC(), progress::add).promote(
                Promotion.of(inStaging, registry.ref("prod/web:release-1"), "production")
                        .withSigningKey(signingKey())
                        .withGates(new PromotionGates(true, "staging", publicKey())));

        assertThat(production.gates()).extracting(GateResult::gate).containsExactly("requireProvenance", "requirePromotedTo");
        assertThat(production.gates()).allMatch(GateResult::verified);
        assertThat(production.referrersCopied()).isEqualTo(2);
        VerifyReport prodReport = verify(registry, registry.ref("prod/web").withDigest(built.digest()), publicKey());
        assertThat(prodReport.provenanceVerified()).isTrue();
        assertThat(prodReport.promotions()).extracting(p -> p.promotion().stage()).containsExactly("staging", "production");
        assertThat(prodReport.promotions()).allMatch(p -> p.check().verified());
        assertThat(Skopeo.inspectDigest(registry, "prod/web:release-1")).isEqualTo(built.digest());
    }

    @Test
    void crossRegistryPromotionCarriesTheAttestationsToTheOtherRegistry() {
        ReleaseResult release = release(registry, "ci/worker:7", signingKey(), null);
        ImageRef built = ImageRef.parse(release.push().image(), "image");
        RegistryClient source = client(registry);
        RegistryClient target = client(other);
        new Promoter(source, source, Clock.systemUTC(), progress::add)
                .promote(Promotion.of(built, registry.ref("staging/worker"), "staging").withSigningKey(signingKey()));
        ImageRef inStaging = registry.ref("staging/worker").withDigest(built.digest());

        PromotionResult result = new Promoter(source, target, Clock.systemUTC(), progress::add).promote(
                Promotion.of(inStaging, other.ref("prod/worker:7"), "production")
                        .withGates(new PromotionGates(true, "staging", publicKey())));

        assertThat(result.signed()).isFalse();
        assertThat(Skopeo.inspectDigest(other, "prod/worker:7")).isEqualTo(built.digest());
        VerifyReport report = verify(other, other.ref("prod/worker").withDigest(built.digest()), publicKey());
        assertThat(report.provenanceVerified()).isTrue();
        assertThat(report.promotions()).extracting(p -> p.promotion().stage()).containsExactly("staging", "production");
        assertThat(report.promotions().get(0).check().verified()).isTrue();
        // the unsigned promotion is shown, and reported as unsigned, never as verified
        assertThat(report.promotions().get(1).check().signed()).isFalse();
        assertThat(report.promotions().get(1).check().verified()).isFalse();
    }

    @Test
    void failedGatesAndATakenTagWriteNothingWhetherCheckedBeforeAnApprovalOrWhenPromoting() {
        RegistryClient client = client(registry);
        RegistryClient target = client(other);
        ImageRef unattested = pushed(client, registry.ref("gate/bare:1"));
        ImageRef signed = ImageRef.parse(release(registry, "gate/signed:1", signingKey(), null).push().image(), "image");
        ImageRef taken = pushed(target, other.ref("gate/prod:taken"));
        List<List<String>> before = List.of(registry.storageListing(), other.storageListing());
        Promoter promoter = new Promoter(client, target, Clock.systemUTC(), progress::add);

        VerificationKey strangersKey = VerificationKey.fromPemFile(stranger.publicKey(), "publicKey");
        for (Function<Promotion, ?> attempt : List.<Function<Promotion, ?>>of(promoter::check, promoter::promote)) {
            assertThatThrownBy(() -> attempt.apply(Promotion.of(unattested, other.ref("gate/prod:1"), "production")
                            .withGates(new PromotionGates(true, null, null))))
                    .isInstanceOf(GateFailedException.class)
                    .hasMessageContaining("gate requireProvenance failed for " + unattested)
                    .hasMessageContaining("no SLSA provenance attestation is attached")
                    .hasMessageContaining("nothing was written");
            assertThatThrownBy(() -> attempt.apply(Promotion.of(signed, other.ref("gate/prod:1"), "production")
                            .withGates(new PromotionGates(true, null, strangersKey))))
                    .isInstanceOf(GateFailedException.class)
                    .hasMessageContaining("requireProvenance")
                    .hasMessageContaining("none verifies with the public key");
            assertThatThrownBy(() -> attempt.apply(Promotion.of(signed, other.ref("gate/prod:1"), "production")
                            .withGates(new PromotionGates(true, "staging", publicKey()))))
                    .isInstanceOf(GateFailedException.class)
                    .satisfies(e -> assertThat(((GateFailedException) e).gate()).isEqualTo("requirePromotedTo"))
                    .hasMessageContaining("no promotion attestation to stage \"staging\" is attached");
            assertThatThrownBy(() -> attempt.apply(Promotion.of(signed, other.ref("gate/prod:taken"), "production")))
                    .isInstanceOf(TagConflictException.class)
                    .hasMessageContaining(taken.digest().toString());
        }
        CheckedPromotion passed = promoter.check(Promotion.of(signed, other.ref("gate/prod:1"), "production")
                .withGates(new PromotionGates(true, null, publicKey())));

        assertThat(passed.digest()).isEqualTo(signed.digest());
        assertThat(passed.promotion().resolvedFrom()).isNull();
        assertThat(passed.gates()).singleElement().satisfies(g -> {
            assertThat(g.gate()).isEqualTo("requireProvenance");
            assertThat(g.verified()).isTrue();
        });
        assertThat(List.of(registry.storageListing(), other.storageListing())).isEqualTo(before);
        assertThat(target.listTags("gate/prod")).containsExactly("taken");
    }

    @Test
    void imageGatesAloneReadOnly() {
        RegistryClient client = client(registry);
        ImageRef unattested = pushed(client, registry.ref("gates-only/bare:1"));
        ImageRef built = ImageRef.parse(release(registry, "gates-only/web:1", signingKey(), null).push().image(), "image");
        new Promoter(client, client, Clock.systemUTC(), progress::add).promote(
                Promotion.of(built, registry.ref("gates-only/staging:1"), "staging").withSigningKey(signingKey()));
        ImageRef inStaging = registry.ref("gates-only/staging").withDigest(built.digest());
        List<String> before = registry.storageListing();

        assertThatThrownBy(() -> ImageGates.check(client, unattested, new PromotionGates(true, null, null)))
                .isInstanceOf(GateFailedException.class)
                .satisfies(e -> assertThat(((GateFailedException) e).gate()).isEqualTo("requireProvenance"))
                .hasMessageContaining("no SLSA provenance attestation is attached");
        assertThatThrownBy(() -> ImageGates.check(client, built, new PromotionGates(false, "staging", publicKey())))
                .isInstanceOf(GateFailedException.class)
                .satisfies(e -> assertThat(((GateFailedException) e).gate()).isEqualTo("requirePromotedTo"));
        List<GateResult> passed = ImageGates.check(client, inStaging, new PromotionGates(true, "staging", publicKey()));
        assertThat(passed).extracting(GateResult::gate).containsExactly("requireProvenance", "requirePromotedTo");
        assertThat(passed).allMatch(GateResult::verified);
        assertThat(ImageGates.check(client, unattested, PromotionGates.NONE)).isEmpty();
        assertThatThrownBy(() -> ImageGates.check(client, registry.ref("gates-only/staging:1"), PromotionGates.NONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no digest");

        assertThat(registry.storageListing()).isEqualTo(before);
    }

    @Test
    void tagOnlyImageIsRefusedUnlessResolvedAndTheResolutionIsRecorded() {
        RegistryClient client = client(registry);
        ImageRef built = pushed(client, registry.ref("tags/api:candidate"));
        ImageRef tagOnly = registry.ref("tags/api:candidate");

        assertThatThrownBy(() -> Promotion.of(tagOnly, registry.ref("tags/prod:1"), "production"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("image"))
                .hasMessageContaining("not pinned by digest");

        PromotionResult result = new Promoter(client, client, Clock.systemUTC(), progress::add)
                .promote(Promotion.resolving(tagOnly, registry.ref("tags/prod:1"), "production"));

        assertThat(result.digest()).isEqualTo(built.digest());
        assertThat(result.source()).isEqualTo(built.toString());
        assertThat(result.resolvedFrom()).isEqualTo(tagOnly.toString());
        VerifyReport report = verify(registry, registry.ref("tags/prod").withDigest(built.digest()), null);
        assertThat(report.promotions()).singleElement()
                .satisfies(p -> assertThat(p.promotion().resolvedFrom()).isEqualTo(tagOnly.toString()));
    }

    @Test
    void aTagResolvedBeforeTheApprovalIsWhatIsPromotedAndTheAttestationSaysSo() {
        RegistryClient client = client(registry);
        ImageRef candidate = pushed(client, registry.ref("moving/api:candidate"));
        ImageRef tagOnly = registry.ref("moving/api:candidate");
        ImageRef to = registry.ref("moving/prod:1");
        List<String> before = registry.storageListing();

        CheckedPromotion checked = new Promoter(client, client, Clock.systemUTC(), progress::add)
                .check(Promotion.resolving(tagOnly, to, "production"));

        assertThat(checked.digest()).isEqualTo(candidate.digest());
        assertThat(checked.promotion().image()).isEqualTo(candidate);
        assertThat(checked.promotion().resolvedFrom()).isEqualTo(tagOnly);
        assertThat(progress).contains("Resolved " + tagOnly + " to " + candidate.digest() + " (recorded as resolvedFrom)");
        assertThat(registry.storageListing()).isEqualTo(before);

        // while the approver decides, the tag moves on; what was checked is what is promoted
        Digest newer = TestImages.push(client, registry.ref("moving/api:newer"), Map.of("app", "a newer build")).digest();
        client.putManifest("moving/api", "candidate", client.getManifest("moving/api", newer.toString()));
        assertThat(client.resolve(tagOnly)).isNotEqualTo(candidate.digest());
        Instant approvedAt = Instant.parse("2025-03-02T08:15:00Z");
        // as a build resumed after a restart rebuilds it: the promotion as asked, pinned to the recorded digest
        PromotionResult result = new Promoter(client, client, Clock.systemUTC(), progress::add).promote(
                Promotion.resolving(tagOnly, to, "production").pinnedTo(checked.digest())
                        .withApproval(new PromotionPredicate.Approval("alice", approvedAt, null))
                        .withSigningKey(signingKey()));

        assertThat(result.digest()).isEqualTo(candidate.digest());
        assertThat(result.resolvedFrom()).isEqualTo(tagOnly.toString());
        assertThat(Skopeo.inspectDigest(registry, "moving/prod:1")).isEqualTo(candidate.digest());
        VerifyReport report = verify(registry, registry.ref("moving/prod").withDigest(candidate.digest()), publicKey());
        assertThat(report.promotions()).singleElement().satisfies(p -> {
            assertThat(p.check().verified()).isTrue();
            assertThat(p.promotion().from()).isEqualTo(candidate.toString());
            assertThat(p.promotion().resolvedFrom()).isEqualTo(tagOnly.toString());
            assertThat(p.promotion().approval().approver()).isEqualTo("alice");
        });
    }

    @Test
    void tamperedAttestationsAreNeverVerified() throws Exception {
        RegistryClient client = client(registry);
        ImageRef image = pushed(client, registry.ref("tamper/api:1"));
        // A forged provenance: genuinely signed, then its payload changed (the signature kept), attached by someone
        // with write access to the repository.
        Envelope genuine = Attestations.seal(inputs().statement(image.name(), image.digest(), Instant.now()), signingKey());
        String forgedJson = new String(genuine.payloadBytes(), StandardCharsets.UTF_8)
                .replace("https://ci.example.com/job/shop/42/", "https://evil.example.com/job/shop/42/");
        Envelope forged = new Envelope(Base64.getEncoder().encodeToString(forgedJson.getBytes(StandardCharsets.UTF_8)),
                genuine.payloadType(), genuine.signatures());
        new ArtifactAttacher(client, Clock.systemUTC()).attachAttestation(image, forged);

        VerifyReport report = verify(registry, image, publicKey());
        assertThat(report.provenanceVerified()).isFalse();
        assertThat(report.provenance()).singleElement().satisfies(p -> {
            assertThat(p.check().signed()).isTrue();
            assertThat(p.check().verified()).isFalse();
            assertThat(p.check().reason()).contains("no signature verifies");
            assertThat(p.buildUrl()).isEqualTo("https://evil.example.com/job/shop/42/");
        });
        assertThatThrownBy(() -> new Promoter(client, client, Clock.systemUTC(), progress::add)
                .promote(Promotion.of(image, registry.ref("tamper/prod:1"), "production")
                        .withGates(new PromotionGates(true, null, publicKey()))))
                .isInstanceOf(GateFailedException.class)
                .hasMessageContaining("no signature verifies");

        // Genuine attestation, bytes changed on their way out of the registry: caught by the digest, unreadable.
        ReleaseResult release = release(registry, "tamper/web:1", signingKey(), null);
        Manifest attestation = client.getManifest("tamper/web", release.provenance().toString());
        try (FaultProxy proxy = FaultProxy.to(registry)) {
            proxy.tamper("GET", "/v2/tamper/web/blobs/" + attestation.layers().get(0).digest(), FaultProxy.FOREVER);
            RegistryClient viaProxy = new RegistryClient(proxy.host(), registry.connection());
            ImageRef web = ImageRef.parse(proxy.host() + "/tamper/web", "image").withDigest(release.push().digest());
            VerifyReport tampered = new AttestationVerifier(viaProxy).report(web, publicKey());
            assertThat(tampered.provenanceVerified()).isFalse();
            assertThat(tampered.provenance()).isEmpty();
            assertThat(tampered.unreadable()).singleElement()
                    .satisfies(u -> assertThat(u.reason()).contains("tampered with or corrupted"));
        }
    }

    @Test
    void targetDigestMismatchLeavesNoTag() {
        RegistryClient source = client(registry);
        ImageRef image = pushed(source, registry.ref("mismatch/api:1"));
        try (FaultProxy proxy = FaultProxy.to(other)) {
            proxy.tamper("GET", "/v2/mismatch/prod/manifests/sha256:.*", FaultProxy.FOREVER);
            RegistryClient target = new RegistryClient(proxy.host(), other.connection());

            assertThatThrownBy(() -> new Promoter(source, target, Clock.systemUTC(), progress::add).promote(
                    Promotion.of(image, ImageRef.parse(proxy.host() + "/mismatch/prod:1", "to"), "production")))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("no tag was written");

            assertThat(client(other).listTags("mismatch/prod")).isEmpty();
            assertThat(proxy.faultsInjected()).isPositive();
        }
    }

    private ReleaseResult release(RegistryServer server, String repositoryAndTag, SigningKey key, Path sbom) {
        Path layout = Umoci.imageWithFiles(work.resolve("layout-" + repositoryAndTag.replaceAll("[/:]", "-")), "v1",
                Map.of("app", repositoryAndTag));
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ReleasePublisher(client(server), Clock.systemUTC(), progress::add)
                    .push(archive, server.ref(repositoryAndTag), TagPolicy.IMMUTABLE, inputs(), key, sbom);
        }
    }

    private static ProvenanceInputs inputs() {
        return ProvenanceInputs.of("https://ci.example.com/job/shop/", "https://ci.example.com/job/shop/42/", "shop")
                .withSources(List.of(new SourceCommit("https://git.example.com/shop.git", COMMIT, "refs/heads/main")))
                .withExternalParameters(Map.of("tag", "1"))
                .withStartedOn(Instant.now());
    }

    private static ImageRef pushed(RegistryClient client, ImageRef target) {
        return target.withTag(null).withDigest(TestImages.push(client, target, Map.of("app", target.toString())).digest());
    }

    private static VerifyReport verify(RegistryServer server, ImageRef image, VerificationKey key) {
        return new AttestationVerifier(client(server)).report(image, key);
    }

    private static Envelope storedEnvelope(RegistryClient client, String repository, Digest attestation) {
        Manifest manifest = client.getManifest(repository, attestation.toString());
        return Envelope.parse(client.getBlob(repository, manifest.layers().get(0).digest(), 1 << 20));
    }

    private SigningKey signingKey() {
        return SigningKey.fromPemFile(signer.privateKey(), "signKey");
    }

    private VerificationKey publicKey() {
        return VerificationKey.fromPemFile(signer.publicKey(), "publicKey");
    }

    private static RegistryClient client(RegistryServer server) {
        return new RegistryClient(server.host(), server.connection());
    }

    /** No fragment of the private key in the registry's files (every attestation and manifest) or in the outputs. */
    private void assertNoPrivateKeyIn(RegistryServer server, String... outputs) {
        List<String> texts = new ArrayList<>(List.of(outputs));
        texts.add(server.log());
        List<String> files = server.storageListing();
        assertThat(files).anyMatch(f -> f.contains("/blobs/"));
        files.forEach(file -> texts.add(new String(server.readStorageFile(file), StandardCharsets.ISO_8859_1)));
        for (String text : texts) {
            for (String fragment : signer.secretFragments()) {
                assertThat(text).doesNotContain(fragment);
            }
        }
    }
}
