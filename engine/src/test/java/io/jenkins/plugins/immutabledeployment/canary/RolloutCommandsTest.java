package io.jenkins.plugins.immutabledeployment.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentNotFoundException;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commands mailbox on the stable Deployment, written by another process than the one running the rollout. */
class RolloutCommandsTest {

    private static final DeploymentTarget TARGET = new DeploymentTarget("shop", "api", "app");
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private final MockCluster cluster = MockCluster.start();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void keepsTheLastCommandsInOrderWithoutTouchingTheSpec() {
        Deployment before = cluster.createStable("shop", "api", 1, "registry.example.com/shop/api@sha256:" + "0".repeat(64));

        IntStream.range(0, RolloutCommands.KEPT + 2).forEach(i ->
                RolloutCommands.send(cluster.newClient(), TARGET, UserCommand.promote("user" + i, AT.plusSeconds(i))));

        Deployment after = cluster.client().apps().deployments().inNamespace("shop").withName("api").get();
        assertThat(RolloutCommands.read(after)).extracting(UserCommand::by)
                .containsExactlyElementsOf(IntStream.range(2, RolloutCommands.KEPT + 2).mapToObj(i -> "user" + i).toList());
        assertThat(after.getMetadata().getGeneration()).as("metadata only: no Kubernetes rollout started")
                .isEqualTo(before.getMetadata().getGeneration());
    }

    @Test
    void unreadableContentIsAnEmptyMailboxThatTheNextCommandReplaces() {
        cluster.createStable("shop", "api", 1, "registry.example.com/shop/api@sha256:" + "0".repeat(64));
        cluster.client().apps().deployments().inNamespace("shop").withName("api")
                .edit(d -> {
                    d.getMetadata().getAnnotations().put(RolloutCommands.ANNOTATION, "{not json");
                    return d;
                });

        RolloutCommands.send(cluster.client(), TARGET, UserCommand.abort("bob", AT, "wrong build"));

        Deployment after = cluster.client().apps().deployments().inNamespace("shop").withName("api").get();
        assertThat(RolloutCommands.read(after)).containsExactly(UserCommand.abort("bob", AT, "wrong build"));
    }

    @Test
    void aMissingDeploymentIsNamed() {
        assertThatThrownBy(() -> RolloutCommands.send(cluster.client(), TARGET, UserCommand.promote("alice", AT)))
                .isInstanceOf(DeploymentNotFoundException.class)
                .hasMessageContaining("shop/api");
    }
}
