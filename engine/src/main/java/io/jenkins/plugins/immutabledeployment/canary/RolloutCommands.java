package io.jenkins.plugins.immutabledeployment.canary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentNotFoundException;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Promote and abort commands for a rollout run by another process (a CLI in another shell, another Jenkins
 * controller): a JSON list in the annotation {@value #ANNOTATION} on the stable Deployment, the last
 * {@value #KEPT} kept. The process running the rollout watches the Deployment, so it sees a command at once; the
 * planner handles each command once (by its time) and ignores commands older than the rollout, so old entries
 * are harmless. Writes are JSON patches locked to the resourceVersion read just before, repeated on 409.
 */
public final class RolloutCommands {

    public static final String ANNOTATION = "immutable-deployment.jenkins.io/rollout-commands";
    static final int KEPT = 10;

    private static final TypeReference<List<UserCommand>> COMMANDS = new TypeReference<>() {};
    private static final int ATTEMPTS = 10;

    private RolloutCommands() {}

    /** Adds {@code command} to the Deployment's commands. */
    public static void send(KubernetesClient client, DeploymentTarget target, UserCommand command) {
        var resource = client.apps().deployments().inNamespace(target.namespace()).withName(target.deployment());
        for (int attempt = 1; ; attempt++) {
            try {
                Deployment deployment = resource.get();
                if (deployment == null) {
                    throw new DeploymentNotFoundException(target);
                }
                List<UserCommand> commands = new ArrayList<>(read(deployment));
                commands.add(command);
                if (commands.size() > KEPT) {
                    commands = commands.subList(commands.size() - KEPT, commands.size());
                }
                resource.patch(PatchContext.of(PatchType.JSON), patch(deployment, json(commands)));
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw new DeploymentException("failed to send the " + command.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + " command to the rollout of " + target + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The commands stored on {@code deployment} (unreadable content counts as none: it is only a mailbox). */
    static List<UserCommand> read(Deployment deployment) {
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        String json = annotations == null ? null : annotations.get(ANNOTATION);
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(json, COMMANDS);
        } catch (JsonProcessingException | RuntimeException e) {
            return List.of();
        }
    }

    private static String patch(Deployment deployment, String commandsJson) {
        List<Map<String, Object>> operations = new ArrayList<>();
        operations.add(operation("replace", "/metadata/resourceVersion", deployment.getMetadata().getResourceVersion()));
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        if (annotations == null || annotations.isEmpty()) {
            operations.add(operation("add", "/metadata/annotations", Map.of(ANNOTATION, commandsJson)));
        } else {
            operations.add(operation("add", "/metadata/annotations/" + ANNOTATION.replace("~", "~0").replace("/", "~1"), commandsJson));
        }
        return json(operations);
    }

    private static Map<String, Object> operation(String op, String path, Object value) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("op", op);
        operation.put("path", path);
        operation.put("value", value);
        return operation;
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise rollout commands", e);
        }
    }
}
