package io.jenkins.plugins.immutabledeployment.canary;

import static io.jenkins.plugins.immutabledeployment.canary.RolloutFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordedTrafficTest {

    final MockCluster cluster = MockCluster.start();
    final RecordedTraffic recorded = new RecordedTraffic(cluster.client());

    RecordedTrafficTest() {
        cluster.createStable("shop", "api", 1, RolloutFixture.OLD);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void nothingRecordedBeforeTheFirstRollout() {
        assertThat(recorded.read(TARGET)).isEmpty();
    }

    @Test
    void theLastRecordedTrafficIsReadBackWithoutStartingAKubernetesRollout() {
        long generation = stable().getMetadata().getGeneration();
        Traffic gateway = Traffic.gateway("api", "api-stable", "api-canary");

        recorded.write(TARGET, gateway);
        assertThat(recorded.read(TARGET)).contains(gateway);
        assertThat(stable().getMetadata().getAnnotations().get(RecordedTraffic.ANNOTATION))
                .isEqualTo("{\"kind\":\"gateway\",\"httpRoute\":\"api\",\"stableService\":\"api-stable\",\"canaryService\":\"api-canary\"}");

        recorded.write(TARGET, Traffic.replicas());
        assertThat(recorded.read(TARGET)).contains(Traffic.replicas());
        assertThat(stable().getMetadata().getGeneration()).isEqualTo(generation);
    }

    @Test
    void anEditedRecordIsRefusedNamingTheAnnotationAndItsForm() {
        for (String bad : new String[] {"not json", "{\"kind\":\"mesh\"}", "{\"kind\":\"gateway\",\"httpRoute\":\"api\"}"}) {
            cluster.client().apps().deployments().inNamespace("shop").withName("api").edit(d -> {
                d.getMetadata().setAnnotations(Map.of(RecordedTraffic.ANNOTATION, bad));
                return d;
            });

            assertThatThrownBy(() -> recorded.read(TARGET))
                    .isInstanceOf(DeploymentException.class)
                    .hasMessageContaining("annotation " + RecordedTraffic.ANNOTATION + " of Deployment shop/api")
                    .hasMessageContaining("{\"kind\":\"replicas\"}");
        }
    }

    private Deployment stable() {
        return cluster.client().apps().deployments().inNamespace("shop").withName("api").get();
    }
}
