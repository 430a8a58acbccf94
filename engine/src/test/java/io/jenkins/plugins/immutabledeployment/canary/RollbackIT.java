package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.kube.ImageMissingException;
import io.jenkins.plugins.immutabledeployment.kube.ImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.kube.RollbackRequest;
import io.jenkins.plugins.immutabledeployment.kube.RollbackResult;
import io.jenkins.plugins.immutabledeployment.kube.RollbackTarget;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLockedException;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollbacks against the ledger on the mock cluster; the registry check against the real docker-registry. */
class RollbackIT {

    private static final String A = RolloutFixture.image("release-a");
    private static final String B = RolloutFixture.image("release-b");
    private static final String C = RolloutFixture.image("release-c");
    private static final String ONCALL = "cli:oncall@laptop";

    @TempDir
    Path work;

    private RolloutFixture fixture;

    @BeforeEach
    void cluster() {
        fixture = new RolloutFixture(2);
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    /** Ledger A, B, C promoted in that order, stable running C. */
    private void releasedABC() {
        ReleaseLedger ledger = new ReleaseLedger(fixture.cluster.client());
        Instant time = Instant.parse("2026-02-01T10:00:00Z");
        for (String image : new String[] {A, B, C}) {
            ledger.append(TARGET, new Release(PinnedImage.parse(image, "image"), "https://jenkins.example.com/job/api/1/", time,
                    ReleaseOutcome.PROMOTED, null));
            time = time.plus(Duration.ofDays(1));
        }
        setStableImage(C);
    }

    private void setStableImage(String image) {
        fixture.cluster.client().apps().deployments().inNamespace("shop").withName("api").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
            return d;
        });
        fixture.cluster.awaitDeployment("shop", "api", d -> MockCluster.rolledOut(d, 2)
                && image.equals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
    }

    private RollbackResult rollback(String revision, ImagePresence registry) {
        Rollbacks rollbacks = new Rollbacks(fixture.cluster.client(), registry, fixture.clock, fixture.scheduler);
        RollbackRequest request = new RollbackRequest(TARGET, RollbackTarget.parse(revision), ONCALL, Duration.ofSeconds(20));
        return MockCluster.await(rollbacks.start(request, Progress.NONE), "the rollback");
    }

    @Test
    void rollsBackToThePreviousRelease() {
        releasedABC();

        RollbackResult result = rollback("previous", image -> true);

        assertThat(result.image().reference()).isEqualTo(B);
        assertThat(fixture.stableImage()).isEqualTo(B);
        assertThat(fixture.ledger()).first().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(ReleaseOutcome.ROLLED_BACK);
            assertThat(r.image().reference()).isEqualTo(B);
            assertThat(r.deployedBy()).isEqualTo(ONCALL);
        });
    }

    @Test
    void rollsBackTwoReleases() {
        releasedABC();

        rollback("2", image -> true);

        assertThat(fixture.stableImage()).isEqualTo(A);
    }

    @Test
    void rollbackStopsARolloutInProgressFirst() {
        releasedABC();
        CanaryRollouts runner = fixture.runner();
        RolloutHandle rollout = runner.start(RolloutRequest.of(TARGET, RolloutFixture.plan(RolloutFixture.NEW, "50,pause,100"),
                "https://jenkins.example.com/job/api/9/"), RolloutListener.NONE);
        fixture.awaitStatus(rollout, "the manual pause", s -> s.phase() == RolloutPhase.PAUSED);

        rollback("previous", image -> true);

        assertThat(fixture.stableImage()).isEqualTo(B);
        assertThat(fixture.canaryPresent()).isFalse();
        assertThatThrownBy(() -> rollout.completion().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RolloutLockedException.class);
        assertThat(fixture.canaryPresent()).as("the stopped rollout did not bring its canary back").isFalse();
    }

    @Test
    void rollbackIsRefusedWhenTheDigestIsGoneFromTheRegistry() {
        try (RegistryServer registry = RegistryServer.plain()) {
            RegistryClient client = new RegistryClient(registry.host(), registry.connection());
            Path layout = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("app.txt", "release b"));
            PushResult pushed;
            try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
                pushed = new ImagePusher(client, Progress.NONE).push(archive, registry.ref("shop/api:b"), TagPolicy.IMMUTABLE);
            }
            String previous = pushed.image();
            String current = registry.host() + "/shop/api@" + io.jenkins.plugins.immutabledeployment.oci.Digest.sha256("c".getBytes());
            ReleaseLedger ledger = new ReleaseLedger(fixture.cluster.client());
            ledger.append(TARGET, new Release(PinnedImage.parse(previous, "image"), "build 1", Instant.EPOCH, ReleaseOutcome.PROMOTED, null));
            ledger.append(TARGET, new Release(PinnedImage.parse(current, "image"), "build 2", Instant.EPOCH, ReleaseOutcome.PROMOTED, null));
            setStableImage(current);
            RegistryImagePresence presence = RegistryImagePresence.with(registry.connection());
            assertThat(presence.exists(PinnedImage.parse(previous, "image"))).isTrue();
            assertThat(client.deleteManifest("shop/api", pushed.digest())).isTrue();
            Deployment before = fixture.stable();

            assertThatThrownBy(() -> rollback("previous", presence))
                    .isInstanceOf(ImageMissingException.class)
                    .hasMessageContaining(previous);

            assertThat(fixture.stable().getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
            assertThat(fixture.stableImage()).isEqualTo(current);
            assertThat(fixture.ledger()).hasSize(2);
            assertThat(fixture.cluster.client().leases().inNamespace("shop").list().getItems()).isEmpty();
        }
    }
}
