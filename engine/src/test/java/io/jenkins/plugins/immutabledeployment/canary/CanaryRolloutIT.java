package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.NEW;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.OLD;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.kube.ImageMissingException;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLockedException;
import io.jenkins.plugins.immutabledeployment.rollout.AbortState;
import io.jenkins.plugins.immutabledeployment.rollout.PauseState;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import io.jenkins.plugins.immutabledeployment.testing.kube.PodBehaviour;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rollouts driven end to end on the fabric8 mock server with the fake controller; time through a manual clock. */
class CanaryRolloutIT {

    private static final String BUILD = "https://jenkins.example.com/job/api/42/";

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
    void goodImageGoesTenFiftyHundredAndPromotesStable() {
        RolloutFixture.Recorder recorder = new RolloutFixture.Recorder();
        RolloutHandle handle = fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "10,50,100"), BUILD), recorder);

        RolloutResult result = MockCluster.await(handle.completion(), "the rollout");

        assertThat(result.phase()).as(result.reason()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(recorder.statuses).extracting(RolloutStatus::weight).contains(10, 50, 100);
        assertThat(fixture.stableImage()).isEqualTo(NEW);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.ledger()).first().satisfies(release -> {
            assertThat(release.image().reference()).isEqualTo(NEW);
            assertThat(release.outcome()).isEqualTo(ReleaseOutcome.PROMOTED);
            assertThat(release.deployedBy()).isEqualTo(BUILD);
        });
        RolloutStatus stored = RolloutStatus.fromJson(fixture.stable().getMetadata().getAnnotations().get("immutable-deployment.jenkins.io/rollout"));
        assertThat(stored.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(stored.finishedAt()).isNotNull();
        assertThat(recorder.lines).anyMatch(line -> line.contains("setting canary weight 10"));
    }

    @Test
    void crashLoopingCanaryAbortsWithStableUntouched() {
        fixture.cluster.controller().behave(NEW, PodBehaviour.CRASH_LOOP);
        long stableGeneration = fixture.stable().getMetadata().getGeneration();

        RolloutResult result = MockCluster.await(
                fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "10,50,100"), BUILD), RolloutListener.NONE).completion(),
                "the rollout");

        assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(result.reason()).contains("CrashLoopBackOff").contains("api-canary").contains("container app");
        assertThat(fixture.stableImage()).isEqualTo(OLD);
        assertThat(fixture.stable().getMetadata().getGeneration()).isEqualTo(stableGeneration);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.ledger()).first().extracting(r -> r.outcome()).isEqualTo(ReleaseOutcome.ABORTED);
    }

    @Test
    void secondConcurrentRolloutIsRefusedNamingTheHolder() {
        RolloutHandle first = fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "10,pause,100"), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(first, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED);
        CanaryRollouts otherProcess = fixture.runner();

        assertThatThrownBy(() -> otherProcess.start(RolloutRequest.of(TARGET, plan(RolloutFixture.image("other"), "50,100"),
                "https://jenkins.example.com/job/api/43/"), RolloutListener.NONE))
                .isInstanceOf(RolloutLockedException.class)
                .hasMessageContaining(BUILD);

        first.abort("alice", "not today");
        assertThat(MockCluster.await(first.completion(), "the abort").phase()).isEqualTo(RolloutPhase.ABORTED);
    }

    @Test
    void processThatDiesMidRolloutIsResumedFromTheAnnotation() {
        RolloutPlan plan = plan(NEW, "10,pause:5m,50,100");
        CanaryRollouts dying = fixture.runner();
        RolloutHandle first = dying.start(RolloutRequest.of(TARGET, plan, BUILD), RolloutListener.NONE);
        fixture.awaitStatus(first, "the timed pause", s -> s.pause() != null && s.pause().reason() == PauseState.Reason.DURATION);
        dying.close(); // the process ends: no lock released, nothing finished
        assertThat(first.completion()).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(RolloutAbandonedException.class).withMessageContaining("kept in the cluster for a resume");

        fixture.clock.advance(Duration.ofMinutes(6));
        CanaryRollouts restarted = fixture.runner();
        RolloutHandle resumed = restarted.resume(TARGET, plan, BUILD, RolloutListener.NONE);
        RolloutResult result = MockCluster.await(resumed.completion(), "the resumed rollout");

        assertThat(result.phase()).as(result.reason()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(result.status().startedAt()).isEqualTo(first.status().startedAt());
        assertThat(fixture.stableImage()).isEqualTo(NEW);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.ledger()).hasSize(1);
    }

    @Test
    void timedPauseEndsWhenTheClockPassesIt() {
        CanaryRollouts runner = fixture.runner();
        RolloutHandle handle = runner.start(RolloutRequest.of(TARGET, plan(NEW, "10,pause:1h,100"), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the timed pause", s -> s.phase() == RolloutPhase.PAUSED);
        fixture.advance(runner, Duration.ofMinutes(59));
        assertThat(handle.status().phase()).isEqualTo(RolloutPhase.PAUSED);

        fixture.advance(runner, Duration.ofMinutes(2));

        assertThat(MockCluster.await(handle.completion(), "the rollout").phase()).isEqualTo(RolloutPhase.HEALTHY);
    }

    @Test
    void manualPauseWaitsUntilPromoted() {
        RolloutHandle handle = fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "10,pause,100"), BUILD), RolloutListener.NONE);
        RolloutStatus paused = fixture.awaitStatus(handle, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED);
        assertThat(paused.pause().reason()).isEqualTo(PauseState.Reason.MANUAL);
        assertThat(fixture.stableImage()).isEqualTo(OLD);

        handle.promote("alice");

        RolloutResult result = MockCluster.await(handle.completion(), "the rollout");
        assertThat(result.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(result.status().requests()).anySatisfy(r -> assertThat(r.by()).isEqualTo("alice"));
    }

    @Test
    void manualPauseAbortedFromAnotherProcessRestoresStable() {
        RolloutHandle handle = fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "25,pause,100"), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED);
        assertThat(fixture.canaryPresent()).isTrue();

        try (KubernetesClient other = fixture.cluster.newClient()) {
            RolloutCommands.send(other, TARGET, UserCommand.abort("bob", fixture.clock.instant(), "wrong build"));
        }

        RolloutResult result = MockCluster.await(handle.completion(), "the abort");
        assertThat(result.phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(result.reason()).contains("bob").contains("wrong build");
        assertThat(result.status().abort().cause()).isEqualTo(AbortState.Cause.REQUESTED);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.stableImage()).isEqualTo(OLD);
    }

    @Test
    void cancellationAbortsToStable() {
        RolloutHandle handle = fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "50,pause,100"), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED);

        handle.cancel("the build was aborted");

        RolloutResult result = MockCluster.await(handle.completion(), "the cancellation");
        assertThat(result.phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(result.status().abort().cause()).isEqualTo(AbortState.Cause.CANCELLED);
        assertThat(result.weight()).isZero();
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.stableImage()).isEqualTo(OLD);
        assertThat(fixture.ledger()).first().extracting(r -> r.outcome()).isEqualTo(ReleaseOutcome.ABORTED);
    }

    @Test
    void imageMissingFromItsRegistryIsRefusedBeforeTheClusterChanges() {
        CanaryRollouts runner = fixture.runner((request, plan, at) -> {
            throw new AssertionError("no measurement");
        }, image -> false);
        String before = fixture.stable().getMetadata().getResourceVersion();

        assertThatThrownBy(() -> runner.start(RolloutRequest.of(TARGET, plan(NEW, "10,100"), BUILD), RolloutListener.NONE))
                .isInstanceOf(ImageMissingException.class)
                .hasMessageContaining(NEW);

        assertThat(fixture.stable().getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.cluster.client().leases().inNamespace("shop").list().getItems()).isEmpty();
    }
}
