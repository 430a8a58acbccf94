package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to reach one cluster, resolved to the settings a client is opened from (one of the three ways of
 * {@link KubeClients}); {@link #get()} opens a new client each time. {@link #fingerprint()} tells two resolutions of
 * the same cluster apart when their settings differ — a rotated token, a replaced kubeconfig or CA — so that a
 * process keeping a client per cluster opens a new one instead of going on with the old credentials. It is a
 * SHA-256 over the settings, never the settings themselves; {@link #toString()} names the way without any secret.
 */
public final class ClusterConnection implements Supplier<KubernetesClient> {

    private final String description;
    private final String fingerprint;
    private final Supplier<KubernetesClient> opener;

    private ClusterConnection(String description, Supplier<KubernetesClient> opener, String... settings) {
        this.description = description;
        this.opener = opener;
        this.fingerprint = sha256(settings);
    }

    /**
     * The environment's default configuration ({@link KubeClients#fromDefaultConfig}). Its fingerprint covers the
     * context and the content of the kubeconfig files fabric8 reads ({@code $KUBECONFIG} or {@code ~/.kube/config});
     * the in-cluster service account token is not part of it, as fabric8 reads a rotated one by itself.
     */
    public static ClusterConnection defaultConfig(String context) {
        List<String> settings = new ArrayList<>(List.of("default", Objects.toString(context, "")));
        for (String file : Config.getKubeconfigFilenames()) {
            settings.add(file);
            settings.add(readIfPresent(Path.of(file)));
        }
        return new ClusterConnection("the default Kubernetes configuration" + (context == null ? "" : ", context " + context),
                () -> KubeClients.fromDefaultConfig(context), settings.toArray(String[]::new));
    }

    /** Kubeconfig text held in memory, e.g. a secret file credential ({@link KubeClients#fromKubeconfigText}). */
    public static ClusterConnection kubeconfig(String kubeconfig, String context) {
        return new ClusterConnection("a kubeconfig" + (context == null ? "" : ", context " + context),
                () -> KubeClients.fromKubeconfigText(kubeconfig, context), "kubeconfig", Objects.toString(kubeconfig, ""),
                Objects.toString(context, ""));
    }

    /** A server URL with a bearer token and an optional CA certificate ({@link KubeClients#fromToken}). */
    public static ClusterConnection token(URI server, String token, String caCertificatePem) {
        return new ClusterConnection("the API server " + server + " with a token",
                () -> KubeClients.fromToken(server, token, caCertificatePem), "token", String.valueOf(server),
                Objects.toString(token, ""), Objects.toString(caCertificatePem, ""));
    }

    /** Opens a new client; the caller closes it. Opening does not connect. */
    @Override
    public KubernetesClient get() {
        return opener.get();
    }

    /** Lower-case hex SHA-256 of the settings: equal for equal settings, different when any of them changed. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Which way the cluster is reached, without any secret. */
    @Override
    public String toString() {
        return description;
    }

    /** Each setting length-prefixed, so that no two different lists of settings hash the same bytes. */
    private static String sha256(String... settings) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String setting : settings) {
                byte[] bytes = setting.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String readIfPresent(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
