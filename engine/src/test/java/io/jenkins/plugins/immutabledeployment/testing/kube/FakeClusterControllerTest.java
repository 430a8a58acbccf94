package io.jenkins.plugins.immutabledeployment.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeClusterControllerTest {

    static final String V1 = "registry.example.com/shop/api@sha256:" + "1".repeat(64);
    static final String V2 = "registry.example.com/shop/api@sha256:" + "2".repeat(64);

    final MockCluster cluster = MockCluster.start();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void createsReadyPodsWithImageIdsForANewDeployment() {
        Deployment deployment = cluster.createStable("shop", "api", 3, V1);

        List<Pod> pods = cluster.client().pods().inNamespace("shop").withLabel("app", "api").list().getItems();
        assertThat(pods).hasSize(3).allSatisfy(pod -> {
            assertThat(pod.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            assertThat(pod.getStatus().getContainerStatuses().get(0).getImageID())
                    .isEqualTo("docker-pullable://registry.example.com/shop/api@sha256:" + "1".repeat(64));
            assertThat(pod.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(deployment.getMetadata().getUid());
        });
        assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(3);
    }

    @Test
    void replacesPodsSurgeFirstWhenTheTemplateChanges() {
        cluster.createStable("shop", "api", 2, V1);
        cluster.client().apps().deployments().inNamespace("shop").withName("api").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + V2 + "\"}]");

        Deployment done = cluster.awaitDeployment("shop", "api",
                d -> MockCluster.rolledOut(d, 2) && d.getMetadata().getGeneration() == 2);

        assertThat(done.getStatus().getObservedGeneration()).isEqualTo(2);
        assertThat(cluster.client().pods().inNamespace("shop").withLabel("app", "api").list().getItems())
                .hasSize(2).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(V2));
    }

    @Test
    void keepsOldPodsWhileNewOnesCrashLoop() {
        cluster.controller().behave(V2, PodBehaviour.CRASH_LOOP);
        cluster.createStable("shop", "api", 2, V1);
        cluster.client().apps().deployments().inNamespace("shop").withName("api").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + V2 + "\"}]");

        Deployment stuck = cluster.awaitDeployment("shop", "api",
                d -> d.getStatus() != null && d.getStatus().getObservedGeneration() == 2 && d.getStatus().getReplicas() == 4);

        assertThat(stuck.getStatus().getUpdatedReplicas()).isEqualTo(2);
        assertThat(stuck.getStatus().getReadyReplicas()).isEqualTo(2);
        List<Pod> crashing = cluster.client().pods().inNamespace("shop").withLabel("app", "api").list().getItems().stream()
                .filter(p -> p.getSpec().getContainers().get(0).getImage().equals(V2)).toList();
        assertThat(crashing).hasSize(2).allSatisfy(p -> assertThat(
                p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff"));
    }

    @Test
    void deletesThePodsOfADeletedDeployment() {
        cluster.createStable("shop", "api", 2, V1);
        cluster.client().apps().deployments().inNamespace("shop").withName("api").delete();

        cluster.awaitPods("shop", Map.of("app", "api"), List::isEmpty);
    }
}
