package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.NEW;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLockedException;
import io.jenkins.plugins.immutabledeployment.rollout.AbortState;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.Stage;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rollout whose holder died (its process went away, its lock expired) taken over by another holder — another
 * Jenkins, another build (issue 13, item 4): the abandoned rollout is in the ledger as aborted, by whom and when it
 * was taken over; the new rollout is its own holder's; and the holder that comes back learns what happened.
 */
class TakeOverIT {

    private static final String DEAD = "https://jenkins-a.example.com/job/api/41/";
    private static final String OTHER = "https://jenkins-b.example.com/job/api/7/";

    private RolloutFixture fixture;

    @BeforeEach
    void cluster() {
        fixture = new RolloutFixture(4);
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void anotherHolderTakesOverOnceTheLockExpiredAndEachRolloutIsRecordedAsItsOwn() {
        RolloutPlan plan = plan(NEW, "10,pause,100");
        CanaryRollouts dying = fixture.runner();
        RolloutHandle abandoned = dying.start(RolloutRequest.of(TARGET, plan, DEAD), RolloutListener.NONE);
        Instant abandonedAt = fixture.awaitStatus(abandoned, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED).startedAt();
        dying.close(); // the controller dies: its lock is left to expire, its status stays

        CanaryRollouts other = fixture.runner();
        assertThatThrownBy(() -> other.start(RolloutRequest.of(TARGET, plan, OTHER), RolloutListener.NONE))
                .isInstanceOf(RolloutLockedException.class).hasMessageContaining(DEAD);

        fixture.clock.advance(RolloutFixture.LEASE.plusSeconds(1));
        Instant takenAt = fixture.clock.instant();
        RolloutFixture.Recorder recorder = new RolloutFixture.Recorder();
        RolloutHandle takeover = other.start(RolloutRequest.of(TARGET, plan, OTHER), recorder);

        RolloutStatus started = takeover.status();
        assertThat(started.startedBy()).isEqualTo(OTHER);
        assertThat(started.takeover().holder()).isEqualTo(DEAD);
        assertThat(started.takeover().startedAt()).isEqualTo(abandonedAt);
        assertThat(started.takeover().position().stepIndex()).isEqualTo(1);
        assertThat(recorder.lines).anyMatch(line -> line.startsWith("Took shop/api over from the rollout of " + NEW) && line.contains(DEAD));
        assertThat(fixture.ledger()).first().satisfies(release -> {
            assertThat(release.deployedBy()).isEqualTo(DEAD);
            assertThat(release.outcome()).isEqualTo(ReleaseOutcome.ABORTED);
            assertThat(release.takenOverBy()).isEqualTo(OTHER);
            assertThat(release.time()).isEqualTo(takenAt);
            assertThat(release.note()).contains("abandoned").contains("taken over by " + OTHER);
        });

        fixture.awaitStatus(takeover, "the new rollout's manual pause", s -> s.phase() == RolloutPhase.PAUSED);
        takeover.promote("bob");
        assertThat(MockCluster.await(takeover.completion(), "the new rollout").phase()).isEqualTo(RolloutPhase.HEALTHY);

        assertThat(fixture.ledger()).extracting(Release::deployedBy, Release::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(OTHER, ReleaseOutcome.PROMOTED),
                org.assertj.core.groups.Tuple.tuple(DEAD, ReleaseOutcome.ABORTED));
    }

    @Test
    void theHolderThatComesBackLearnsItsRolloutWasTakenOverAndByWhom() {
        RolloutPlan plan = plan(NEW, "10,pause,100");
        CanaryRollouts dying = fixture.runner();
        dying.start(RolloutRequest.of(TARGET, plan, DEAD), RolloutListener.NONE);
        fixture.cluster.await("the manual pause", () -> dying.active(TARGET).map(RolloutStatus::phase).orElse(null),
                phase -> phase == RolloutPhase.PAUSED);
        dying.close();
        fixture.clock.advance(RolloutFixture.LEASE.plusSeconds(1));
        Instant takenAt = fixture.clock.instant();
        RolloutHandle takeover = fixture.runner().start(RolloutRequest.of(TARGET, plan, OTHER), RolloutListener.NONE);
        fixture.clock.advance(Duration.ofMinutes(5));

        // The dead build's controller is back and its step resumes the rollout it had.
        RolloutFixture.Recorder recorder = new RolloutFixture.Recorder();
        RolloutHandle resumed = fixture.runner().resume(RolloutRequest.of(TARGET, plan, DEAD), recorder);

        RolloutResult result = MockCluster.await(resumed.completion(), "the resumed rollout");
        assertThat(result.phase()).isEqualTo(RolloutPhase.ABORTED);
        AbortState abort = result.status().abort();
        assertThat(abort.cause()).isEqualTo(AbortState.Cause.TAKEN_OVER);
        assertThat(abort.by()).isEqualTo(OTHER);
        assertThat(abort.at()).isEqualTo(takenAt);
        assertThat(result.reason()).startsWith("taken over by " + OTHER + " at " + takenAt).contains("its lock expired");
        assertThat(result.status().startedBy()).isEqualTo(DEAD);
        assertThat(result.status().position().stage()).isEqualTo(Stage.DONE);
        assertThat(recorder.statuses).as("the build page hears it").containsExactly(result.status());
        assertThat(takeover.status().startedBy()).as("the rollout that took over is left alone").isEqualTo(OTHER);
        takeover.abort("bob", "end of test");
        MockCluster.await(takeover.completion(), "the abort");
    }
}
