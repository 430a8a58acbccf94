package io.jenkins.plugins.immutabledeployment.kube;

import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.API;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.STABLE_IMAGE;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.V2;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.V3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CanaryDeploymentsTest {


    final MockCluster cluster = MockCluster.start();
    final CanaryDeployments canaries = new CanaryDeployments(cluster.client());

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void clonesTheStablePodTemplateWithThePinnedImageAndLeavesStableAlone() {
        Deployment stable = cluster.createStable("shop", "api", 4, STABLE_IMAGE);

        Deployment canary = canaries.ensure(API, V2);

        assertThat(canary.getMetadata().getName()).isEqualTo("api-canary");
        assertThat(canary.getMetadata().getLabels()).containsEntry("immutable-deployment.jenkins.io/role", "canary");
        assertThat(canary.getMetadata().getAnnotations())
                .containsEntry("immutable-deployment.jenkins.io/stable", "api")
                .containsEntry("immutable-deployment.jenkins.io/image", V2.reference());
        assertThat(canary.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(canary.getSpec().getReplicas()).isZero();
        assertThat(canary.getSpec().getSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("app", "api", "immutable-deployment.jenkins.io/role", "canary"));
        assertThat(canary.getSpec().getTemplate().getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app", "api",
                "immutable-deployment.jenkins.io/role", "canary",
                "immutable-deployment.jenkins.io/canary-digest", "2".repeat(32)));
        assertThat(canary.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("app=" + V2.reference(), "sidecar=registry.example.com/proxy:1.0");
        Deployment stableAfter = stable();
        assertThat(stableAfter.getSpec()).isEqualTo(stable.getSpec());
        assertThat(stableAfter.getMetadata().getGeneration()).isEqualTo(stable.getMetadata().getGeneration());
    }

    @Test
    void putsTheImageIntoTheNamedContainer() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);

        Deployment canary = canaries.ensure(new DeploymentTarget("shop", "api", "sidecar"), V2);

        assertThat(canary.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("app=" + STABLE_IMAGE, "sidecar=" + V2.reference());
    }

    @Test
    void refusesAnUnknownContainerBeforeCreatingAnything() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);

        assertThatThrownBy(() -> canaries.ensure(new DeploymentTarget("shop", "api", "web"), V2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("container:")
                .hasMessageContaining("app, sidecar");
        assertThat(canaries.find(API)).isEmpty();
    }

    @Test
    void scalesTheCanaryWhosePodsTheStableServiceSelectsToo() {
        cluster.createStable("shop", "api", 4, STABLE_IMAGE);
        canaries.ensure(API, V2);

        canaries.scale(API, 2);

        List<Pod> canaryPods = cluster.awaitPods("shop", Map.of("immutable-deployment.jenkins.io/role", "canary"), p -> p.size() == 2);
        assertThat(canaryPods).allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry("app", "api"));
        assertThat(cluster.client().pods().inNamespace("shop").withLabel("app", "api").list().getItems()).hasSize(6);
        assertThat(stable().getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void movesAnExistingCanaryToANewImageKeepingItsReplicas() {
        cluster.createStable("shop", "api", 4, STABLE_IMAGE);
        canaries.ensure(API, V2);
        canaries.scale(API, 2);

        Deployment updated = canaries.ensure(API, V3);

        assertThat(updated.getSpec().getReplicas()).isEqualTo(2);
        assertThat(updated.getMetadata().getAnnotations()).containsEntry("immutable-deployment.jenkins.io/image", V3.reference());
        cluster.awaitPods("shop", Map.of("immutable-deployment.jenkins.io/role", "canary"), pods -> pods.size() == 2
                && pods.stream().allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals(V3.reference())));
        cluster.takeRequests();
        canaries.ensure(API, V3);
        assertThat(cluster.takeRequests()).as("nothing to change, nothing written")
                .noneMatch(r -> r.getPath().contains("api-canary") && !r.getPath().endsWith("/status") && !r.getMethod().equals("GET"));
    }

    @Test
    void deletesTheCanaryAndItsPods() {
        cluster.createStable("shop", "api", 2, STABLE_IMAGE);
        canaries.ensure(API, V2);
        canaries.scale(API, 1);
        cluster.awaitPods("shop", Map.of("immutable-deployment.jenkins.io/role", "canary"), p -> p.size() == 1);

        assertThat(canaries.delete(API)).isTrue();

        cluster.awaitPods("shop", Map.of("immutable-deployment.jenkins.io/role", "canary"), List::isEmpty);
        assertThat(canaries.find(API)).isEmpty();
        assertThat(canaries.delete(API)).isFalse();
        assertThat(stable().getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void leavesAForeignDeploymentNamedLikeTheCanaryAlone() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);
        cluster.client().apps().deployments().inNamespace("shop").resource(new DeploymentBuilder(stable())
                .editMetadata().withName("api-canary").withResourceVersion(null).withUid(null).endMetadata()
                .withStatus(null).build()).create();

        assertThatThrownBy(() -> canaries.ensure(API, V2))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("not a canary made by immutable-deployment");
        assertThatThrownBy(() -> canaries.delete(API)).isInstanceOf(DeploymentException.class);
        assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api-canary").get()).isNotNull();
    }

    @Test
    void scalingWithoutACanaryFails() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);

        assertThatThrownBy(() -> canaries.scale(API, 1))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("shop/api-canary does not exist");
    }

    @Test
    void reportsAMissingStableDeployment() {
        assertThatThrownBy(() -> canaries.ensure(API, V2))
                .isInstanceOf(DeploymentNotFoundException.class).hasMessageContaining("shop/api");
    }

    private Deployment stable() {
        return cluster.client().apps().deployments().inNamespace("shop").withName("api").get();
    }
}
