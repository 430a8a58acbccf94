package io.jenkins.plugins.immutabledeployment.kube;

import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.API;
import static io.jenkins.plugins.immutabledeployment.kube.KubeTestData.STABLE_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RolloutStatusStoreTest {


    final MockCluster cluster = MockCluster.start();
    final RolloutStatusStore store = new RolloutStatusStore(cluster.client());

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void storesTheStatusAsAnAnnotationWithoutTouchingTheSpec() {
        Deployment before = cluster.createStable("shop", "api", 2, STABLE_IMAGE);
        assertThat(store.read(API)).isEmpty();

        store.write(API, "{\"step\":1,\"phase\":\"Progressing\"}");

        Deployment after = stable();
        assertThat(after.getMetadata().getAnnotations())
                .containsEntry("immutable-deployment.jenkins.io/rollout", "{\"step\":1,\"phase\":\"Progressing\"}");
        assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
        assertThat(after.getSpec()).isEqualTo(before.getSpec());
        assertThat(store.read(API)).contains("{\"step\":1,\"phase\":\"Progressing\"}");
    }

    @Test
    void keepsOtherAnnotationsAndClearsOnlyItsOwn() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);
        cluster.client().apps().deployments().inNamespace("shop").withName("api")
                .edit(d -> {
                    d.getMetadata().getAnnotations().put("team", "payments");
                    return d;
                });

        store.write(API, "{\"step\":0}");
        store.write(API, "{\"step\":2}");
        assertThat(stable().getMetadata().getAnnotations())
                .containsEntry("team", "payments").containsEntry(RolloutStatusStore.ANNOTATION, "{\"step\":2}");

        store.clear(API);
        assertThat(stable().getMetadata().getAnnotations()).containsEntry("team", "payments")
                .doesNotContainKey(RolloutStatusStore.ANNOTATION);
        assertThat(store.read(API)).isEmpty();
        store.clear(API); // nothing to clear: no error
    }

    @Test
    void anUpdateThatLostARaceIsRepeatedOnTheNewerStatus() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);
        store.write(API, "{\"writer\":\"none\"}");
        KubernetesClient otherProcess = cluster.newClient();
        RolloutStatusStore other = new RolloutStatusStore(otherProcess);
        List<Optional<String>> seen = new ArrayList<>();

        Optional<String> result = store.update(API, current -> {
            seen.add(current);
            if (seen.size() == 1) {
                other.write(API, "{\"writer\":\"other\"}"); // lands between our read and our write
            }
            return Optional.of("{\"writer\":\"me\",\"after\":" + current.orElseThrow() + "}");
        });
        otherProcess.close();

        assertThat(seen).containsExactly(Optional.of("{\"writer\":\"none\"}"), Optional.of("{\"writer\":\"other\"}"));
        assertThat(result).contains("{\"writer\":\"me\",\"after\":{\"writer\":\"other\"}}");
        assertThat(store.read(API)).isEqualTo(result);
    }

    @Test
    void refusesWhatIsNotJsonOrTooLarge() {
        cluster.createStable("shop", "api", 1, STABLE_IMAGE);

        assertThatThrownBy(() -> store.write(API, "step=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write(API, "\"" + "x".repeat(RolloutStatusStore.MAX_BYTES) + "\""))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("annotation");
        assertThat(store.read(API)).isEmpty();
    }

    @Test
    void reportsAMissingDeployment() {
        assertThatThrownBy(() -> store.read(API))
                .isInstanceOf(DeploymentNotFoundException.class)
                .hasMessageContaining("shop/api");
    }

    private Deployment stable() {
        return cluster.client().apps().deployments().inNamespace("shop").withName("api").get();
    }
}
