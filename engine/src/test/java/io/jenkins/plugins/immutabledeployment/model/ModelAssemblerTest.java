package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Facts in, each viewer's document out: the buttons depend on who looks. */
class ModelAssemblerTest {

    private static final String DIGEST = "sha256:" + "9f".repeat(32);
    private static final ActionUrls URLS = (kind, id) -> "/job/api/42/immutable-deployment/" + kind.name().toLowerCase() + "?promotion=" + id;
    private static final Viewer ALICE = new Viewer("alice", List.of("authenticated"), true, Viewer.NameMatch.IGNORE_CASE, Viewer.NameMatch.EXACT);
    private static final Viewer BOB = new Viewer("bob", List.of("authenticated"), true, Viewer.NameMatch.IGNORE_CASE, Viewer.NameMatch.EXACT);
    /** Whether the build still runs ({@code Run.isBuilding()}); ENDED shows what the facts alone say. */
    private static final boolean BUILDING = true;
    private static final boolean ENDED = false;

    private static BuildFacts facts() {
        BuildFacts facts = BuildFacts.empty()
                .withPush("registry.example.com/shop/api", List.of("t1"), DIGEST, 1234L, Instant.parse("2025-06-03T09:15:38Z"), null);
        PromotionRecord staging = PromotionRecord.promoting("promotion-1", "staging", "registry.example.com/shop/api@" + DIGEST,
                "registry.example.com/shop-staging/api", null).promoted(Instant.parse("2025-06-03T09:16:10Z"));
        facts = facts.withPromotion(staging);
        return facts.withPromotion(PromotionRecord.awaitingApproval("promotion-2", "prod",
                "registry.example.com/shop/api@" + DIGEST, "registry.example.com/shop-prod/api", null,
                Submitters.parse("alice", "approval.submitters"), "Ship it?", Instant.parse("2025-06-03T09:16:12Z"), Duration.ofHours(1)));
    }

    @Test
    void aSubmitterSeesApproveAndRejectForTheWaitingPromotionOnly() {
        DeploymentModel model = ModelAssembler.assemble(facts(), BUILDING, ALICE, URLS);

        assertThat(model.running()).isTrue();
        assertThat(model.images()).extracting(ImageView::digest).containsExactly(DIGEST);
        assertThat(model.promotions()).extracting(PromotionView::id).containsExactly("promotion-1", "promotion-2");
        assertThat(model.actions()).containsExactly(
                ActionView.approve("promotion-2", "/job/api/42/immutable-deployment/approve?promotion=promotion-2"),
                ActionView.reject("promotion-2", "/job/api/42/immutable-deployment/reject?promotion=promotion-2"));
    }

    @Test
    void othersSeeTheSameFactsWithoutButtons() {
        DeploymentModel forBob = ModelAssembler.assemble(facts(), BUILDING, BOB, URLS);
        DeploymentModel forAnonymous = ModelAssembler.assemble(facts(), BUILDING, Viewer.ANONYMOUS, URLS);

        assertThat(forBob.actions()).isEmpty();
        assertThat(forAnonymous.actions()).isEmpty();
        assertThat(forBob.promotions()).isEqualTo(ModelAssembler.assemble(facts(), BUILDING, ALICE, URLS).promotions());
    }

    @Test
    void noButtonsOnceDecided() {
        BuildFacts decided = facts().updatePromotion("promotion-2", p -> p.approve("alice", Instant.parse("2025-06-03T09:20:00Z"), null));
        assertThat(ModelAssembler.assemble(decided, BUILDING, ALICE, URLS).actions()).isEmpty();
        assertThat(ModelAssembler.assemble(decided, ENDED, ALICE, URLS).running()).as("the copy still runs").isTrue();
    }

    /** Both promotions done: nothing in the facts is in flight. */
    private static BuildFacts promoted() {
        return facts().updatePromotion("promotion-2",
                p -> p.approve("alice", Instant.parse("2025-06-03T09:20:00Z"), null).promoted(Instant.parse("2025-06-03T09:20:02Z")));
    }

    @Test
    void runningAsLongAsTheBuildRunsThoughNothingInItsFactsIsInFlight() {
        // Between a finished promotion and the canary's start: the build's next step is yet to come, and the open
        // page must keep polling to show it.
        assertThat(ModelAssembler.assemble(promoted(), BUILDING, ALICE, URLS).running()).isTrue();
    }

    @Test
    void notRunningOnceTheBuildEndedWithNothingInFlight() {
        assertThat(ModelAssembler.assemble(promoted(), ENDED, ALICE, URLS).running()).as("the page stops polling").isFalse();
    }

    @Test
    void factsSurviveTheirJsonTextAndTheDocumentIsValid() {
        BuildFacts facts = facts();
        BuildFacts back = BuildFacts.fromJson(facts.toJson());

        assertThat(back).isEqualTo(facts);
        assertThat(back.promotion("promotion-2").orElseThrow().deadline()).isEqualTo(Instant.parse("2025-06-03T10:16:12Z"));
        String json = ModelAssembler.json(back, BUILDING, ALICE, URLS);
        assertThat(ModelJson.read(json)).isEqualTo(ModelAssembler.assemble(facts, BUILDING, ALICE, URLS));
        assertThat(json).doesNotContain("submitters").doesNotContain("deadline");
    }

    @Test
    void theTagAResolvedSourceCameFromReachesEveryViewerAndSurvivesTheFactsJson() {
        BuildFacts facts = facts().updatePromotion("promotion-2",
                p -> p.withResolvedFrom(ImageRef.parse("registry.example.com/shop/api:build-7", "image")));

        BuildFacts back = BuildFacts.fromJson(facts.toJson());
        DeploymentModel model = ModelAssembler.assemble(back, BUILDING, Viewer.ANONYMOUS, URLS);

        assertThat(back).isEqualTo(facts);
        assertThat(model.promotions()).extracting(PromotionView::resolvedFrom)
                .containsExactly(null, "registry.example.com/shop/api:build-7");
        String json = ModelAssembler.json(back, BUILDING, ALICE, URLS);
        assertThat(json).containsOnlyOnce("\"resolvedFrom\":\"registry.example.com/shop/api:build-7\"")
                .doesNotContain("null");
    }

    @Test
    void factsRecordedBeforeResolvedFromExistedStillRead() {
        String recorded = facts().toJson();
        assertThat(recorded).doesNotContain("resolvedFrom");

        assertThat(BuildFacts.fromJson(recorded).promotions()).extracting(p -> p.view().resolvedFrom()).containsOnlyNulls();
    }

    @Test
    void eachPromotionAndRolloutNamesTheImageOfTheBuildItUsed() {
        String web = "sha256:" + "3c".repeat(32);
        BuildFacts facts = facts()
                .withPush("registry.example.com/shop/web", List.of("t1"), web, 99L, Instant.parse("2025-06-03T09:17:01Z"), null)
                .withPromotion(PromotionRecord.promoting("promotion-3", "prod", "registry.example.com/shop/web@" + web,
                        "registry.example.com/shop-prod/web:release-1", null))
                .withPromotion(PromotionRecord.promoting("promotion-4", "dr", "registry.example.com/shop-prod/api@" + DIGEST,
                        "dr.example.com/shop/api", null))
                .withPromotion(PromotionRecord.promoting("promotion-5", "prod", "registry.example.com/base/jdk@sha256:" + "77".repeat(32),
                        "registry.example.com/base-prod/jdk", null))
                .withRollout(RolloutView.builder("rollout-1", "web", "shop").image("registry.example.com/shop-prod/web@" + web).build())
                .withRollout(RolloutView.builder("rollout-2", "api", "shop").image("registry.example.com/shop-prod/api@" + DIGEST).build())
                .withRollout(RolloutView.builder("rollout-3", "old", "shop").build());

        DeploymentModel model = ModelAssembler.assemble(facts, BUILDING, Viewer.ANONYMOUS, URLS);

        assertThat(model.images()).extracting(ImageView::id, ImageView::repository).containsExactly(
                tuple("image-1", "registry.example.com/shop/api"), tuple("image-2", "registry.example.com/shop/web"));
        assertThat(model.promotions()).extracting(PromotionView::id, PromotionView::imageId).containsExactly(
                tuple("promotion-1", "image-1"), tuple("promotion-2", "image-1"), tuple("promotion-3", "image-2"),
                tuple("promotion-4", "image-1"), tuple("promotion-5", null));
        assertThat(model.rollouts()).extracting(RolloutView::imageId).containsExactly("image-2", "image-1", null);
        assertThat(facts.promotions()).extracting(p -> p.view().imageId()).as("derived for the document, not stored").containsOnlyNulls();
        assertThat(facts.toJson()).doesNotContain("imageId");
    }

    @Test
    void theSameBytesInTwoRepositoriesAreNamedByTheRepositoryToo() {
        BuildFacts facts = BuildFacts.empty()
                .withPush("registry.example.com/shop/api", List.of(), DIGEST, null, null, null)
                .withPush("mirror.example.com/shop/api", List.of(), DIGEST, null, null, null)
                .withRollout(RolloutView.builder("rollout-1", "api", "shop").image("mirror.example.com/shop/api@" + DIGEST).build())
                .withRollout(RolloutView.builder("rollout-2", "api", "dr").image("dr.example.com/shop/api@" + DIGEST).build());

        assertThat(ModelAssembler.assemble(facts, BUILDING, Viewer.ANONYMOUS, URLS).rollouts()).extracting(RolloutView::imageId)
                .as("the image pushed there, else the first pushed with that digest").containsExactly("image-2", "image-1");
    }

    @Test
    void refusesToActOnAPromotionTheBuildDoesNotHave() {
        assertThatThrownBy(() -> facts().updatePromotion("promotion-9", p -> p))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("promotion: \"promotion-9\" is not a promotion of this build");
        assertThatThrownBy(() -> BuildFacts.fromJson("[]")).isInstanceOf(InvalidInputException.class);
    }

    private static final String ATTESTATION = "sha256:" + "a1".repeat(32);

    private static BuildFacts signedImagePromoted(ProvenanceView provenance, Digest verified) {
        return BuildFacts.empty()
                .withPush("registry.example.com/shop/api", List.of(), DIGEST, null, null, provenance)
                .withPromotion(PromotionRecord.promoting("promotion-1", "prod", "registry.example.com/shop/api@" + DIGEST,
                        "registry.example.com/shop-prod/api", null).promoted(Instant.parse("2025-06-03T09:16:10Z"), verified));
    }

    private static ProvenanceView provenance(boolean signed) {
        ProvenanceView.Builder provenance = ProvenanceView.newBuilder().attestationDigest(ATTESTATION);
        return (signed ? provenance.signedBy("key-1") : provenance).build();
    }

    @Test
    void aSignedImageIsShownVerifiedOnceAPromotionVerifiedThatVeryAttestation() {
        DeploymentModel model = ModelAssembler.assemble(
                signedImagePromoted(provenance(true), Digest.parse(ATTESTATION, "attestation")), ENDED, Viewer.ANONYMOUS, URLS);

        assertThat(model.promotions()).extracting(PromotionView::verifiedProvenance).containsExactly(ATTESTATION);
        assertThat(model.images().get(0).provenance().verified()).isTrue();
        assertThat(model.images().get(0).provenance().signed()).isTrue();
    }

    @Test
    void noClaimOfVerificationForAnotherAttestationNoKeyOrNoSignature() {
        Digest other = Digest.parse("sha256:" + "b2".repeat(32), "attestation");
        assertThat(ModelAssembler.assemble(signedImagePromoted(provenance(true), other), ENDED, Viewer.ANONYMOUS, URLS)
                .images().get(0).provenance().verified()).as("another attestation was verified").isFalse();
        assertThat(ModelAssembler.assemble(signedImagePromoted(provenance(true), null), ENDED, Viewer.ANONYMOUS, URLS)
                .images().get(0).provenance().verified()).as("no public key was given").isFalse();
        assertThat(ModelAssembler.assemble(signedImagePromoted(provenance(false), Digest.parse(ATTESTATION, "attestation")),
                ENDED, Viewer.ANONYMOUS, URLS).images().get(0).provenance().verified()).as("unsigned").isFalse();
    }
}
