package io.jenkins.plugins.immutabledeployment.kube;

import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.API;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.immutabledeployment.testing.kube.ManualClock;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import io.jenkins.plugins.immutabledeployment.testing.kube.PodBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RollbackTest {

    static final String ME = "https://jenkins.example.com/job/incident/7/";
    static final PinnedImage A = image('a');
    static final PinnedImage B = image('b');
    static final PinnedImage C = image('c');

    final MockCluster cluster = MockCluster.start();
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-02T08:00:00Z"));
    final ExecutorService executor = Executors.newSingleThreadExecutor();
    final List<String> progress = new CopyOnWriteArrayList<>();
    final Set<PinnedImage> registry = ConcurrentHashMap.newKeySet();
    final ReleaseLedger ledger = new ReleaseLedger(cluster.client());
    final Rollback rollback = new Rollback(cluster.client(), registry::contains,
            RolloutAbort.removeCanary(cluster.client(), new ReplicaRatioRouter(cluster.client())), clock, executor, progress::add);

    /** A, B and C were promoted in turn; C runs. */
    @BeforeEach
    void threeReleases() {
        registry.addAll(List.of(A, B, C));
        cluster.createStable("shop", "api", 3, C.reference());
        int minute = 0;
        for (PinnedImage image : List.of(A, B, C)) {
            ledger.append(API, new Release(image, "https://jenkins.example.com/job/shop/" + ++minute + "/",
                    Instant.parse("2024-05-01T10:00:00Z").plusSeconds(60L * minute), ReleaseOutcome.PROMOTED, null));
        }
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        cluster.close();
    }

    @Test
    void rollsBackToThePreviousRelease() {
        RollbackResult result = rollback.run(request("previous"));

        assertThat(result.image()).isEqualTo(B);
        assertThat(result.replacedImage()).isEqualTo(C.reference());
        assertThat(result.knownGood()).isTrue();
        assertThat(result.pods()).hasSize(3);
        assertThat(stableImage()).isEqualTo(B.reference());
        assertThat(ledger.history(API).get(0)).isEqualTo(result.recorded()).satisfies(entry -> {
            assertThat(entry.image()).isEqualTo(B);
            assertThat(entry.outcome()).isEqualTo(ReleaseOutcome.ROLLED_BACK);
            assertThat(entry.deployedBy()).isEqualTo(ME);
            assertThat(entry.time()).isEqualTo(clock.instant());
            assertThat(entry.note()).isEqualTo("replaced " + C.reference());
        });
        assertThat(new RolloutLock(cluster.client(), clock).current(API)).as("lock released").isEmpty();
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("Rolling back shop/api from " + C + " to " + B));
    }

    @Test
    void rollsBackNReleases() {
        assertThat(rollback.run(request("2")).image()).isEqualTo(A);
        assertThat(stableImage()).isEqualTo(A.reference());

        // A runs now; "previous" is the newest good release that is not A: C, the one rolled back from.
        assertThat(rollback.run(request("previous")).image()).isEqualTo(C);
    }

    @Test
    void refusesAnImageGoneFromTheRegistryBeforeChangingAnything() {
        registry.remove(B);
        List<Release> before = ledger.history(API);

        assertThatThrownBy(() -> rollback.start(request("previous")))
                .isInstanceOf(ImageMissingException.class)
                .hasMessageContaining(B.reference())
                .hasMessageContaining("nothing in the cluster was changed");

        assertThat(stableImage()).isEqualTo(C.reference());
        assertThat(ledger.history(API)).isEqualTo(before);
        assertThat(new RolloutLock(cluster.client(), clock).current(API)).isEmpty();
    }

    @Test
    void refusesARevisionTheLedgerDoesNotHave() {
        assertThatThrownBy(() -> rollback.start(request("3")))
                .isInstanceOf(NoSuchReleaseException.class).hasMessageContaining("only 2 earlier releases");
        assertThat(stableImage()).isEqualTo(C.reference());
    }

    @Test
    void abortsTheRolloutInProgressFirst() {
        RolloutLock lock = new RolloutLock(cluster.client(), clock);
        String rolloutBuild = "https://jenkins.example.com/job/shop/4/";
        lock.acquire(API, rolloutBuild, Duration.ofMinutes(5));
        CanaryDeployments canaries = new CanaryDeployments(cluster.client());
        canaries.ensure(API, image('d'));
        canaries.scale(API, 1);
        new RolloutStatusStore(cluster.client()).write(API, "{\"step\":2}");

        RollbackResult result = rollback.run(request("previous"));

        assertThat(result.image()).isEqualTo(B);
        assertThat(canaries.find(API)).isEmpty();
        assertThat(new RolloutStatusStore(cluster.client()).read(API)).isEmpty();
        assertThat(progress).contains("Took the rollout lock of shop/api over from " + rolloutBuild);
        assertThatThrownBy(() -> lock.renew(API, rolloutBuild)).isInstanceOf(RolloutLockedException.class);
        cluster.awaitPods("shop", Map.of(CanaryDeployments.ROLE_LABEL, "canary"), List::isEmpty);
    }

    @Test
    void deploysAnExplicitImageTheLedgerDoesNotKnowAndSaysSo() {
        PinnedImage hotfix = image('f');
        registry.add(hotfix);

        RollbackResult result = rollback.run(new RollbackRequest(API, RollbackTarget.image(hotfix.reference()), ME,
                MockCluster.DEADLINE));

        assertThat(result.knownGood()).isFalse();
        assertThat(stableImage()).isEqualTo(hotfix.reference());
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("not a release the ledger knows as good"));
    }

    @Test
    void recordsAFailedRollbackAndReleasesTheLock() {
        cluster.controller().behave(B.reference(), PodBehaviour.CRASH_LOOP);

        CompletableFuture<RollbackResult> running = rollback.start(request("previous"));
        cluster.awaitDeployment("shop", "api", d -> d.getStatus().getUpdatedReplicas() == 3);
        cluster.controller().expireProgressDeadline("shop", "api");

        assertThatThrownBy(() -> MockCluster.await(running, "rollback"))
                .hasCauseInstanceOf(StableRolloutFailedException.class);
        Release recorded = ledger.history(API).get(0);
        assertThat(recorded.outcome()).isEqualTo(ReleaseOutcome.FAILED);
        assertThat(recorded.image()).isEqualTo(B);
        assertThat(recorded.note()).startsWith("rollback failed: Deployment shop/api did not finish rolling out");
        assertThat(new RolloutLock(cluster.client(), clock).current(API)).isEmpty();
        assertThat(stable().getStatus().getReadyReplicas()).as("C keeps serving").isEqualTo(3);
    }

    @Test
    void givesUpAfterItsTimeout() {
        cluster.controller().behave(B.reference(), PodBehaviour.NEVER_READY);

        assertThatThrownBy(() -> rollback.run(new RollbackRequest(API, RollbackTarget.parse("previous"), ME, Duration.ofMillis(500))))
                .isInstanceOf(StableRolloutFailedException.class)
                .hasMessageContaining("did not finish rolling out within PT0.5S");
        assertThat(ledger.history(API).get(0).outcome()).isEqualTo(ReleaseOutcome.FAILED);
    }

    @Test
    void failsOnDriftAfterTheRollout() {
        cluster.controller().reportImageId(B.reference(), "docker-pullable://registry.example.com/shop/api@sha256:" + "e".repeat(64));

        assertThatThrownBy(() -> rollback.run(request("previous")))
                .isInstanceOf(ImageDriftException.class).hasMessageContaining("sha256:" + "e".repeat(64));
        assertThat(ledger.history(API).get(0).outcome()).isEqualTo(ReleaseOutcome.FAILED);
        assertThat(new RolloutLock(cluster.client(), clock).current(API)).isEmpty();
    }

    private static RollbackRequest request(String revision) {
        return new RollbackRequest(API, RollbackTarget.parse(revision), ME, MockCluster.DEADLINE);
    }

    private Deployment stable() {
        return cluster.client().apps().deployments().inNamespace("shop").withName("api").get();
    }

    private String stableImage() {
        return stable().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
