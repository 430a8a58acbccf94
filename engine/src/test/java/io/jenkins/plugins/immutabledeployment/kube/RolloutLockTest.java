package io.jenkins.plugins.immutabledeployment.kube;

import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.testing.kube.ManualClock;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RolloutLockTest {

    static final String BUILD = "https://jenkins.example.com/job/shop/42/";
    static final String OTHER = "cli:alice@laptop";
    static final Duration TTL = Duration.ofSeconds(30);

    final MockCluster cluster = MockCluster.start();
    final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:00.123456789Z"));
    final RolloutLock lock = new RolloutLock(cluster.client(), clock);

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void acquiresAFreeLockAsALeaseWithMicrosecondTimes() {
        LockHolder holder = lock.acquire(API, BUILD, TTL);

        assertThat(holder.identity()).isEqualTo(BUILD);
        assertThat(holder.expires()).isEqualTo(Instant.parse("2024-05-01T10:00:30.123456Z"));
        Lease lease = lease();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(BUILD);
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(30);
        assertThat(lease.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "immutable-deployment");
        // MicroTime on the wire: RFC 3339 with exactly six fractional digits, as the API server requires.
        assertThat(cluster.client().getKubernetesSerialization().asJson(lease))
                .contains("\"acquireTime\":\"2024-05-01T10:00:00.123456Z\"")
                .contains("\"renewTime\":\"2024-05-01T10:00:00.123456Z\"");
    }

    @Test
    void refusesASecondRolloutNamingTheHolder() {
        lock.acquire(API, BUILD, TTL);
        clock.advance(Duration.ofSeconds(29));

        assertThatThrownBy(() -> lock.acquire(API, OTHER, TTL))
                .isInstanceOf(RolloutLockedException.class)
                .hasMessageContaining(BUILD)
                .hasMessageContaining("shop/api")
                .satisfies(e -> assertThat(((RolloutLockedException) e).holder()).isEqualTo(BUILD));
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(BUILD);
    }

    @Test
    void theSameHolderReacquiresWhenItResumes() {
        lock.acquire(API, BUILD, TTL);
        clock.advance(Duration.ofSeconds(10));

        LockHolder again = lock.acquire(API, BUILD, TTL);

        assertThat(again.acquired()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
        assertThat(again.renewed()).isEqualTo(Instant.parse("2024-05-01T10:00:10.123456Z"));
        assertThat(lease().getSpec().getLeaseTransitions()).isZero();
    }

    @Test
    void anExpiredLeaseMayBeTakenOver() {
        lock.acquire(API, BUILD, TTL);
        clock.advance(Duration.ofSeconds(31));

        LockHolder taken = lock.acquire(API, OTHER, TTL);

        assertThat(taken.identity()).isEqualTo(OTHER);
        assertThat(taken.acquired()).isEqualTo(Instant.parse("2024-05-01T10:00:31.123456Z"));
        assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
        assertThatThrownBy(() -> lock.renew(API, BUILD))
                .isInstanceOf(RolloutLockedException.class)
                .hasMessageContaining("no longer held by " + BUILD)
                .hasMessageContaining(OTHER);
    }

    @Test
    void renewingKeepsOthersOutPastTheFirstExpiry() {
        lock.acquire(API, BUILD, TTL);
        clock.advance(Duration.ofSeconds(20));
        lock.renew(API, BUILD);
        clock.advance(Duration.ofSeconds(20));

        assertThatThrownBy(() -> lock.acquire(API, OTHER, TTL)).isInstanceOf(RolloutLockedException.class);
        assertThat(lock.current(API)).get().extracting(LockHolder::expires)
                .isEqualTo(Instant.parse("2024-05-01T10:00:50.123456Z"));
    }

    @Test
    void releaseRemovesOnlyTheHoldersOwnLease() {
        lock.acquire(API, BUILD, TTL);

        assertThat(lock.release(API, OTHER)).isFalse();
        assertThat(lock.current(API)).get().extracting(LockHolder::identity).isEqualTo(BUILD);

        assertThat(lock.release(API, BUILD)).isTrue();
        assertThat(lock.current(API)).isEmpty();
        assertThat(lock.acquire(API, OTHER, TTL).identity()).isEqualTo(OTHER);
        assertThatThrownBy(() -> lock.renew(API, BUILD))
                .isInstanceOf(RolloutLockedException.class).hasMessageContaining(OTHER);
    }

    @Test
    void renewingAReleasedLockFails() {
        lock.acquire(API, BUILD, TTL);
        lock.release(API, BUILD);

        assertThatThrownBy(() -> lock.renew(API, BUILD))
                .isInstanceOf(RolloutLockedException.class).hasMessageContaining("released");
    }

    @Test
    void takeOverWinsAgainstAnUnexpiredHolderAndNamesIt() {
        lock.acquire(API, BUILD, TTL);

        assertThat(lock.takeOver(API, OTHER, TTL)).get().extracting(LockHolder::identity).isEqualTo(BUILD);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(OTHER);
        assertThat(lock.takeOver(API, OTHER, TTL)).isEmpty();
    }

    @Test
    void locksOfDifferentDeploymentsAreIndependent() {
        lock.acquire(API, BUILD, TTL);

        assertThat(lock.acquire(DeploymentTarget.of("shop", "web"), OTHER, TTL).identity()).isEqualTo(OTHER);
    }

    @Test
    void twoProcessesRacingForAFreeLockHaveOneWinner() throws Exception {
        int racers = 6;
        List<KubernetesClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                KubernetesClient client = cluster.newClient();
                clients.add(client);
                String me = "https://jenkins.example.com/job/shop/" + i + "/";
                RolloutLock mine = new RolloutLock(client, clock);
                Callable<String> race = () -> {
                    start.await();
                    try {
                        return mine.acquire(API, me, TTL).identity();
                    } catch (RolloutLockedException e) {
                        return "refused:" + e.holder();
                    }
                };
                outcomes.add(pool.submit(race));
            }
            start.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(MockCluster.DEADLINE.toSeconds(), TimeUnit.SECONDS));
            }
            String winner = lease().getSpec().getHolderIdentity();
            assertThat(results).containsOnlyOnce(winner);
            assertThat(results).filteredOn(r -> r.startsWith("refused:")).hasSize(racers - 1)
                    .allSatisfy(r -> assertThat(r).isEqualTo("refused:" + winner));
        } finally {
            pool.shutdownNow();
            clients.forEach(KubernetesClient::close);
        }
    }

    @Test
    void refusesBadInputBeforeWriting() {
        assertThatThrownBy(() -> lock.acquire(API, " ", TTL))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holder");
        assertThatThrownBy(() -> lock.acquire(API, BUILD, Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("leaseDuration");
        assertThat(lock.current(API)).isEmpty();
    }

    private Lease lease() {
        return cluster.client().leases().inNamespace("shop").withName("api-immutable-deployment").get();
    }
}
