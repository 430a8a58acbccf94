package io.jenkins.plugins.immutabledeployment.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The cluster options of the Kubernetes commands ({@code @Mixin KubeOptions kube;}): {@code --kubeconfig FILE}
 * and {@code --context NAME} (default: {@code $KUBECONFIG} or {@code ~/.kube/config} and its current context, or
 * the in-cluster service account), plus the target Deployment.
 */
final class KubeOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "A kubeconfig file; default $KUBECONFIG or ~/.kube/config.")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context to use; default its current context.")
    String context;

    @Option(names = "--deployment", paramLabel = "NAME", description = "The stable Deployment.")
    String deployment;

    @Option(names = "--namespace", paramLabel = "NS", description = "The Deployment's namespace.")
    String namespace;

    /** The Deployment (and optionally its container) these options name; missing names are bad input. */
    DeploymentTarget target(String container) {
        require("deployment", deployment, "--deployment NAME");
        require("namespace", namespace, "--namespace NS");
        return new DeploymentTarget(namespace, deployment, container);
    }

    KubernetesClient client() {
        return kubeconfig != null ? KubeClients.fromKubeconfig(kubeconfig, context) : KubeClients.fromDefaultConfig(context);
    }

    /**
     * Who this command acts as, for the lock and the ledger: {@code cli:USER@HOST}, with the process id so that two
     * shells of one user are two holders (the second rollout is refused, not merged into the first).
     */
    static String holder() {
        return who() + " pid " + ProcessHandle.current().pid();
    }

    /** {@code cli:USER@HOST}: who a command was run by. */
    static String who() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return "cli:" + System.getProperty("user.name") + "@" + host;
    }

    private static void require(String field, String value, String form) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required", form);
        }
    }
}
