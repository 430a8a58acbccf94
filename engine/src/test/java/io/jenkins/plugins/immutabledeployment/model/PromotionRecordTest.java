package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a promotion moves on: only the moves its state allows, each recording who and when. */
class PromotionRecordTest {

    private static final String DIGEST = "sha256:" + "9f".repeat(32);
    private static final String FROM = "registry.example.com/shop/api@" + DIGEST;
    private static final String TO = "registry.example.com/shop-prod/api:release-42";
    private static final Instant ASKED = Instant.parse("2025-06-03T09:16:12Z");

    static PromotionRecord waiting(Duration timeout) {
        return PromotionRecord.awaitingApproval("promotion-1", "prod", FROM, TO, "https://jenkins.example.com/job/api/42/",
                Submitters.parse("alice, release-managers", "approval.submitters"), "Ship it?", ASKED, timeout);
    }

    @Test
    void anApprovalRecordsWhoWhenAndWhyThenTheCopyCompletesIt() {
        PromotionRecord approved = waiting(Duration.ofHours(24)).approve("alice", ASKED.plusSeconds(60), "  Go for the 10:00 window ");
        assertThat(approved.state()).isEqualTo(PromotionState.PROMOTING);
        assertThat(approved.view().approver()).isEqualTo("alice");
        assertThat(approved.view().approvedAt()).isEqualTo(ASKED.plusSeconds(60));
        assertThat(approved.view().comment()).isEqualTo("Go for the 10:00 window");
        assertThat(approved.finished()).isFalse();

        PromotionRecord promoted = approved.promoted(ASKED.plusSeconds(62));
        assertThat(promoted.state()).isEqualTo(PromotionState.PROMOTED);
        assertThat(promoted.view().approver()).isEqualTo("alice");
        assertThat(promoted.view().message()).isNull();
        assertThat(promoted.finished()).isTrue();
        assertThat(promoted.stepResult()).containsExactly(
                Map.entry("image", "registry.example.com/shop-prod/api@" + DIGEST), Map.entry("digest", DIGEST),
                Map.entry("repository", "registry.example.com/shop-prod/api"), Map.entry("tag", "release-42"),
                Map.entry("stage", "prod"), Map.entry("approvedBy", "alice"));
    }

    @Test
    void theTargetIsRecordedPinnedToTheSourceDigestWithTheTagBesideIt() {
        PromotionView waiting = waiting(null).view();
        PromotionView untagged = PromotionRecord.promoting("promotion-2", "staging", FROM, "registry.example.com/shop-staging/api", null)
                .view();

        assertThat(waiting.to()).isEqualTo("registry.example.com/shop-prod/api@" + DIGEST);
        assertThat(waiting.tag()).isEqualTo("release-42");
        assertThat(untagged.to()).isEqualTo("registry.example.com/shop-staging/api@" + DIGEST);
        assertThat(untagged.tag()).isNull();
        PromotionRecord approved = waiting(null).approve("alice", ASKED, null).promoted(ASKED.plusSeconds(2));
        assertThat(approved.view().to()).as("every move keeps it").isEqualTo(waiting.to());
        assertThat(approved.view().tag()).isEqualTo("release-42");
        assertThat(ModelJson.write(DeploymentModel.builder().promotion(approved.view()).build()))
                .contains("\"to\":\"registry.example.com/shop-prod/api@" + DIGEST + "\",\"tag\":\"release-42\"");
    }

    @Test
    void aRejectionRecordsTheRejecterAndTheirComment() {
        PromotionRecord rejected = waiting(null).reject("bob", ASKED.plusSeconds(5), "not during the freeze");
        assertThat(rejected.state()).isEqualTo(PromotionState.REJECTED);
        assertThat(rejected.view().rejectedBy()).isEqualTo("bob");
        assertThat(rejected.view().comment()).isEqualTo("not during the freeze");
        assertThat(rejected.finished()).isTrue();
        assertThat(rejected.failureMessage()).isEqualTo("The promotion of " + FROM + " to registry.example.com/shop-prod/api@"
                + DIGEST + " (tag release-42, stage prod) was rejected by bob: not during the freeze");
        assertThat(waiting(null).failureMessage()).isNull();
    }

    @Test
    void submittersMayDecideOnlyWhileItWaits() {
        Viewer alice = new Viewer("alice", List.of(), true, Viewer.NameMatch.EXACT, Viewer.NameMatch.EXACT);
        assertThat(waiting(null).mayBeDecidedBy(alice)).isTrue();
        PromotionRecord approved = waiting(null).approve("alice", ASKED, null);
        assertThat(approved.permits(alice)).isTrue();
        assertThat(approved.mayBeDecidedBy(alice)).isFalse();
        assertThat(PromotionRecord.promoting("promotion-3", "staging", FROM, TO, null).permits(alice))
                .as("nobody decides on a promotion that asked for no approval").isFalse();
    }

    @Test
    void theFirstDecisionWinsAndLaterOnesAreRefused() {
        PromotionRecord approved = waiting(null).approve("alice", ASKED, null);
        assertThatThrownBy(() -> approved.reject("bob", ASKED, null))
                .isInstanceOf(NotAwaitingApprovalException.class)
                .hasMessage("promotion-1 is not awaiting approval; it is promoting");
        assertThatThrownBy(() -> approved.approve("alice", ASKED, null)).isInstanceOf(NotAwaitingApprovalException.class);
        PromotionRecord expired = waiting(Duration.ofMinutes(1)).expireIfDue(ASKED.plusSeconds(60));
        assertThatThrownBy(() -> expired.approve("alice", ASKED, null))
                .isInstanceOf(NotAwaitingApprovalException.class)
                .hasMessageEndingWith("it is failed");
    }

    @Test
    void expiresOnlyAtItsDeadline() {
        PromotionRecord waiting = waiting(Duration.ofMinutes(90));
        assertThat(waiting.remaining(ASKED.plusSeconds(30))).contains(Duration.ofSeconds(90 * 60 - 30));
        assertThat(waiting.expireIfDue(ASKED.plusSeconds(90 * 60 - 1))).isSameAs(waiting);

        PromotionRecord expired = waiting.expireIfDue(ASKED.plusSeconds(90 * 60));
        assertThat(expired.state()).isEqualTo(PromotionState.FAILED);
        assertThat(expired.view().message())
                .isEqualTo("No decision within 1h30m (submitters: alice, release-managers); nothing was promoted");
        assertThat(waiting.remaining(ASKED.plusSeconds(99_999))).contains(Duration.ZERO);
        assertThat(waiting(null).remaining(ASKED)).isEmpty();
        assertThat(waiting(null).expireIfDue(ASKED.plus(Duration.ofDays(365))).awaitingApproval()).isTrue();
    }

    @Test
    void aFinishedPromotionIsNotFailedAfterwards() {
        PromotionRecord promoted = PromotionRecord.promoting("promotion-2", "staging", FROM, TO, null).promoted(ASKED);
        assertThat(promoted.failed("build aborted")).isSameAs(promoted);
        assertThat(waiting(null).failed("The build was aborted").view().message()).isEqualTo("The build was aborted");
        assertThatThrownBy(() -> waiting(null).promoted(ASKED)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theTagTheSourceWasResolvedFromStaysThroughEveryMove() {
        ImageRef tag = ImageRef.parse("registry.example.com/shop/api:build-7", "image");
        PromotionRecord resolved = waiting(Duration.ofHours(1)).withResolvedFrom(tag);
        String expected = "registry.example.com/shop/api:build-7";

        assertThat(resolved.view().resolvedFrom()).isEqualTo(expected);
        assertThat(resolved).usingRecursiveComparison().ignoringFields("view.resolvedFrom").isEqualTo(waiting(Duration.ofHours(1)));
        PromotionRecord approved = resolved.approve("alice", ASKED, null);
        assertThat(List.of(approved, approved.promoted(ASKED), approved.failed("copy failed"),
                        resolved.reject("bob", ASKED, null), resolved.expireIfDue(ASKED.plus(Duration.ofHours(2)))))
                .extracting(r -> r.view().resolvedFrom())
                .containsOnly(expected);
        assertThat(approved.promoted(ASKED).stepResult()).containsEntry("resolvedFrom", expected);
        assertThat(waiting(null).approve("alice", ASKED, null).promoted(ASKED).stepResult()).doesNotContainKey("resolvedFrom");
    }

    @Test
    void aSourceGivenByDigestNamesNoTagAndATagOfAnotherRepositoryIsRefused() {
        assertThat(waiting(null).withResolvedFrom(null)).isEqualTo(waiting(null));
        assertThat(waiting(null).view().resolvedFrom()).isNull();
        assertThatThrownBy(() -> waiting(null).withResolvedFrom(ImageRef.parse("registry.example.com/shop/web:build-7", "image")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> waiting(null).withResolvedFrom(ImageRef.parse(FROM, "image")))
                .as("a pinned reference is not what was resolved")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longCommentsAreCut() {
        String comment = PromotionRecord.comment("x".repeat(PromotionRecord.COMMENT_MAX + 10));
        assertThat(comment).hasSize(PromotionRecord.COMMENT_MAX + 1).endsWith("…");
        assertThat(PromotionRecord.comment("   ")).isNull();
    }
}
