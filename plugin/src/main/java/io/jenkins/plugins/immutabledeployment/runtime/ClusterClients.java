package io.jenkins.plugins.immutabledeployment.runtime;

import hudson.model.Run;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.config.ClusterEntry;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import io.jenkins.plugins.immutabledeployment.credentials.BuildCredentials;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Resolves a step's {@code cluster} for one build into a way to open a Kubernetes client: the configured cluster's
 * kubeconfig (Secret file) or server URL + token (Secret text), or the controller's default configuration when no
 * cluster is named. Credentials are looked up (and tracked) now, so a missing one fails before anything changes.
 */
public final class ClusterClients {

    private ClusterClients() {}

    public static Supplier<KubernetesClient> resolve(Run<?, ?> run, String clusterName) throws IOException {
        if (clusterName == null) {
            return () -> KubeClients.fromDefaultConfig(null);
        }
        ClusterEntry cluster = ImmutableDeploymentConfiguration.get().findCluster(clusterName)
                .orElseThrow(() -> new InvalidInputException("cluster", "no cluster named \"" + clusterName + "\" is configured",
                        "the name of a cluster in Manage Jenkins › Immutable Deployment, or nothing for the controller's default"));
        BuildCredentials credentials = new BuildCredentials(run);
        String field = "credentials of the configured cluster " + clusterName;
        if (cluster.usesKubeconfig()) {
            String kubeconfig = new String(credentials.secretFile(field, cluster.getKubeconfigCredentialsId()), StandardCharsets.UTF_8);
            return () -> KubeClients.fromKubeconfigText(kubeconfig, cluster.getContext());
        }
        if (cluster.getServerUrl() == null) {
            throw new InvalidInputException("cluster", "\"" + clusterName + "\" has neither a kubeconfig nor a server URL",
                    "a cluster configured with a kubeconfig credential, or a server URL and a token credential");
        }
        URI server = URI.create(cluster.getServerUrl());
        String token = credentials.secretText(field, cluster.getTokenCredentialsId());
        String ca = cluster.getCaCertificate();
        return () -> KubeClients.fromToken(server, token, ca);
    }
}
