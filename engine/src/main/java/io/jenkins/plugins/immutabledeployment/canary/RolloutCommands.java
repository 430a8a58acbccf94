package io.jenkins.plugins.immutabledeployment.canary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentAnnotation;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Promote and abort commands for a rollout run by another process (a CLI in another shell, another Jenkins
 * controller): a JSON list in the annotation {@value #ANNOTATION} on the stable Deployment, the last
 * {@value #KEPT} kept. The process running the rollout watches the Deployment, so it sees a command at once; the
 * planner handles each command once (by its time) and ignores commands older than the rollout, so old entries
 * are harmless. Written as a {@link DeploymentAnnotation}.
 */
public final class RolloutCommands {

    public static final String ANNOTATION = "immutable-deployment.jenkins.io/rollout-commands";
    static final int KEPT = 10;

    private static final TypeReference<List<UserCommand>> COMMANDS = new TypeReference<>() {};

    private RolloutCommands() {}

    /** Adds {@code command} to the Deployment's commands. */
    public static void send(KubernetesClient client, DeploymentTarget target, UserCommand command) {
        new DeploymentAnnotation(client, ANNOTATION).update(target, stored -> {
            List<UserCommand> commands = new ArrayList<>(parse(stored.orElse(null)));
            commands.add(command);
            return Optional.of(json(commands.subList(Math.max(0, commands.size() - KEPT), commands.size())));
        });
    }

    /** The commands stored on {@code deployment} (unreadable content counts as none: it is only a mailbox). */
    static List<UserCommand> read(Deployment deployment) {
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        return parse(annotations == null ? null : annotations.get(ANNOTATION));
    }

    private static List<UserCommand> parse(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(json, COMMANDS);
        } catch (JsonProcessingException | RuntimeException e) {
            return List.of();
        }
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise rollout commands", e);
        }
    }
}
