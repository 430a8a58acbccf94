package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.NAMESPACE;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.NEW;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.OLD;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
import io.jenkins.plugins.immutabledeployment.kube.DeferredReleases;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.testing.kube.ApiFaults;
import io.jenkins.plugins.immutabledeployment.testing.kube.ConnectionRelay;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import io.jenkins.plugins.immutabledeployment.testing.kube.PodCrash;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes API misbehaving on the rollout path (issue 13, item 3), injected by the mock server's dispatcher
 * ({@link ApiFaults}) and a relay that cuts connections: each fault is either retried until the rollout ends as it
 * should, or the rollout aborts to stable and says why. Nothing is left at canary weight without a holder renewing
 * its lock. Time through the fixture's manual clock.
 */
class ApiFaultsIT {

    private static final String BUILD = "https://jenkins.example.com/job/api/13/";
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/shop/deployments";
    private static final String STABLE = DEPLOYMENTS + "/api";
    private static final String CANARY = DEPLOYMENTS + "/api-canary";
    private static final String LEASE = "/apis/coordination.k8s.io/v1/namespaces/shop/leases/api-immutable-deployment";
    private static final String LEDGER = "/api/v1/namespaces/shop/configmaps(/api-releases)?";

    private RolloutFixture fixture;
    private ApiFaults faults;

    @BeforeEach
    void cluster() {
        fixture = new RolloutFixture(4);
        faults = fixture.cluster.faults();
    }

    @AfterEach
    void close() throws Exception {
        faults.clear();
        fixture.close();
    }

    @Test
    void aThrottledCanaryWriteIsMadeAgainAfterTheRetryAfterAndTheRolloutEndsHealthy() {
        // The client itself makes a request 4 times, waiting as 429 asks; the fifth 429 reaches the runner.
        int throttled = KubeClients.CLIENT_RETRIES + 2;
        faults.throttle("PATCH", CANARY, 1, throttled);
        RolloutFixture.Recorder recorder = new RolloutFixture.Recorder();

        RolloutResult result = MockCluster.await(fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "10,100"), BUILD), recorder)
                .completion(), "the rollout");

        assertThat(result.phase()).as(result.reason()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(faults.injected()).isEqualTo(throttled);
        assertThat(recorder.lines).anyMatch(line -> line.contains("HTTP 429") && line.contains("trying again in 1000 ms"));
        assertThat(fixture.stableImage()).isEqualTo(NEW);
        assertThat(fixture.canaryPresent()).isFalse();
    }

    @Test
    void passing503sOnTheStatusTheCanaryAndItsDeletionAreRetriedAndTheRolloutEndsHealthy() {
        RolloutHandle handle = fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "10,pause,50,100"), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED);
        // Each call is made 4 times by the client itself (KubeClients.CLIENT_RETRIES): 6 failures outlast one look.
        faults.fail("PATCH", STABLE, 503, 6).fail("PATCH", CANARY, 503, 6).fail("DELETE", CANARY, 503, 6);

        handle.promote("alice");

        RolloutResult result = MockCluster.await(handle.completion(), "the rollout");

        assertThat(result.phase()).as(result.reason()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(faults.injected()).isEqualTo(18);
        assertThat(fixture.stableImage()).isEqualTo(NEW);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.ledger()).first().extracting(Release::outcome).isEqualTo(ReleaseOutcome.PROMOTED);
    }

    @Test
    void aCanaryTheApiServerRefusesToCreateAbortsAtOnceAndSaysWhy() {
        faults.fail("POST", DEPLOYMENTS, 403, ApiFaults.FOREVER);
        long generation = fixture.stable().getMetadata().getGeneration();

        RolloutResult result = MockCluster.await(fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "10,100"), BUILD),
                RolloutListener.NONE).completion(), "the abort");

        assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(result.reason()).contains("the Kubernetes API refused").contains("canary Deployment").contains("HTTP 403");
        assertThat(faults.injected()).as("not retried: a 403 says the request itself is wrong").isEqualTo(1);
        assertThat(fixture.stable().getMetadata().getGeneration()).isEqualTo(generation);
        assertThat(fixture.ledger()).first().extracting(Release::outcome).isEqualTo(ReleaseOutcome.ABORTED);
        assertThat(fixture.cluster.client().leases().inNamespace(NAMESPACE).list().getItems()).as("the lock is released").isEmpty();
    }

    @Test
    void aCanaryCreateThatKeepsAnswering503AbortsToStableAfterItsRetries() {
        faults.fail("POST", DEPLOYMENTS, 503, ApiFaults.FOREVER);

        RolloutResult result = MockCluster.await(fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "10,100"), BUILD),
                RolloutListener.NONE).completion(), "the abort");

        assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(result.reason()).contains("failed " + RolloutRun.MAX_FAILURES + " times in a row").contains("HTTP 503");
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.stableImage()).isEqualTo(OLD);
        assertThat(fixture.cluster.client().leases().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void lockRenewalsThatKeepFailingAbortToStableBeforeTheLeaseExpires() {
        CanaryRollouts runner = fixture.runner();
        RolloutHandle handle = runner.start(RolloutRequest.of(TARGET, plan(NEW, "10,pause,100"), BUILD), RolloutListener.NONE);
        fixture.awaitStatus(handle, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED);
        faults.fail("PUT", LEASE, 503, ApiFaults.FOREVER);

        // Renewals are due every 15 s of the 30 s lease; two thirds of it without one is too close to its expiry.
        fixture.advance(runner, Duration.ofSeconds(21));

        RolloutResult result = MockCluster.await(handle.completion(), "the abort");
        assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
        assertThat(result.reason()).contains("could not renew the rollout lock of shop/api").contains("HTTP 503");
        assertThat(result.weight()).isZero();
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.stableImage()).isEqualTo(OLD);
    }

    @Test
    void aLedgerThatKeepsRefusingAfterThePromotionEndsReleasedNotRecordedAndTheNextRunRecordsIt() {
        faults.fail("PUT", LEDGER, 503, ApiFaults.FOREVER).fail("POST", LEDGER, 503, ApiFaults.FOREVER);

        CompletableFuture<RolloutResult> completion = fixture.runner().start(RolloutRequest.of(TARGET, plan(NEW, "50,100"), BUILD),
                RolloutListener.NONE).completion();

        Throwable failure = MockCluster.awaitFailure(completion, "the rollout");
        assertThat(failure).isInstanceOf(ReleaseNotRecordedException.class)
                .hasMessageStartingWith("released, not recorded: the rollout of " + NEW + " on shop/api ended promoted")
                .hasMessageContaining("ConfigMap shop/api-releases").hasMessageContaining("HTTP 503");
        ReleaseNotRecordedException notRecorded = (ReleaseNotRecordedException) failure;
        assertThat(notRecorded.result().phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(fixture.stableImage()).as("released").isEqualTo(NEW);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThat(fixture.stable().getMetadata().getAnnotations()).containsKey(DeferredReleases.ANNOTATION);

        faults.clear();
        String next = RolloutFixture.image("next");
        RolloutResult later = MockCluster.await(fixture.runner().start(RolloutRequest.of(TARGET, plan(next, "100"),
                "https://jenkins.example.com/job/api/14/"), RolloutListener.NONE).completion(), "the next rollout");

        assertThat(later.phase()).isEqualTo(RolloutPhase.HEALTHY);
        assertThat(fixture.ledger()).extracting(r -> r.image().reference(), Release::deployedBy, Release::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(next, "https://jenkins.example.com/job/api/14/", ReleaseOutcome.PROMOTED),
                org.assertj.core.groups.Tuple.tuple(NEW, BUILD, ReleaseOutcome.PROMOTED));
        assertThat(fixture.stable().getMetadata().getAnnotations()).doesNotContainKey(DeferredReleases.ANNOTATION);
    }

    @Test
    void aCanaryCrashWhileTheWatchesAreCutAndAnswered410IsStillCaught() {
        try (ConnectionRelay relay = new ConnectionRelay(fixture.cluster.port())) {
            CanaryRollouts runner = fixture.runnerThrough(relay.url());
            RolloutHandle handle = runner.start(RolloutRequest.of(TARGET, plan(NEW, "25,pause,100"), BUILD), RolloutListener.NONE);
            fixture.awaitStatus(handle, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED);

            faults.goneOnNextWatches(2);
            relay.dropAll();
            Pod canaryPod = fixture.cluster.client().pods().inNamespace(NAMESPACE)
                    .withLabel(CanaryDeployments.ROLE_LABEL, CanaryDeployments.ROLE_CANARY).list().getItems().get(0);
            PodCrash.crashLoop(fixture.cluster.client(), canaryPod, "app");

            RolloutResult result = MockCluster.await(handle.completion(), "the abort");
            assertThat(result.phase()).isEqualTo(RolloutPhase.DEGRADED);
            assertThat(result.reason()).contains("CrashLoopBackOff").contains(canaryPod.getMetadata().getName());
            assertThat(relay.dropped()).isPositive();
            assertThat(faults.goneAnswered()).as("the restarted watches were answered 410 Gone, and relisted").isPositive();
            assertThat(fixture.canaryPresent()).isFalse();
            assertThat(fixture.stableImage()).isEqualTo(OLD);
        }
    }
}
