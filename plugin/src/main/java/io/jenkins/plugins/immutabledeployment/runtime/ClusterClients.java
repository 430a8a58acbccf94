package io.jenkins.plugins.immutabledeployment.runtime;

import hudson.model.Run;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.config.ClusterEntry;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import io.jenkins.plugins.immutabledeployment.credentials.BuildCredentials;
import io.jenkins.plugins.immutabledeployment.kube.ClusterConnection;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Resolves a step's {@code cluster} for one build into the engine's {@link ClusterConnection}: the configured
 * cluster's kubeconfig (Secret file) or server URL + token (Secret text), or the controller's default configuration
 * when no cluster is named. Credentials are looked up (and tracked) now, so a missing one fails before anything
 * changes, and a rotated one gives another {@link ClusterConnection#fingerprint()}.
 */
public final class ClusterClients {

    private ClusterClients() {}

    public static ClusterConnection resolve(Run<?, ?> run, String clusterName) throws IOException {
        if (clusterName == null) {
            return ClusterConnection.defaultConfig(null);
        }
        ClusterEntry cluster = ImmutableDeploymentConfiguration.get().findCluster(clusterName)
                .orElseThrow(() -> new InvalidInputException("cluster", "no cluster named \"" + clusterName + "\" is configured",
                        "the name of a cluster in Manage Jenkins › Immutable Deployment, or nothing for the controller's default"));
        BuildCredentials credentials = new BuildCredentials(run);
        String field = "credentials of the configured cluster " + clusterName;
        if (cluster.usesKubeconfig()) {
            String kubeconfig = new String(credentials.secretFile(field, cluster.getKubeconfigCredentialsId()), StandardCharsets.UTF_8);
            return ClusterConnection.kubeconfig(kubeconfig, cluster.getContext());
        }
        if (cluster.getServerUrl() == null) {
            throw new InvalidInputException("cluster", "\"" + clusterName + "\" has neither a kubeconfig nor a server URL",
                    "a cluster configured with a kubeconfig credential, or a server URL and a token credential");
        }
        URI server = KubeClients.serverUrl(cluster.getServerUrl(), "serverUrl of the configured cluster " + clusterName);
        String token = credentials.secretText(field, cluster.getTokenCredentialsId());
        String ca = cluster.getCaCertificate();
        return ClusterConnection.token(server, token, ca);
    }
}
