package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.EngineThreads;
import io.jenkins.plugins.immutabledeployment.Problems;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.TlsTrust;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds the {@link KubernetesClient} for a cluster from one of the three ways a user names it: a kubeconfig
 * (file or text, optionally a context in it), the environment's default configuration (in-cluster service account
 * or {@code ~/.kube/config}), or a server URL with a bearer token and the cluster's CA certificate.
 * Credentials never appear in the messages of the exceptions thrown here.
 */
public final class KubeClients {

    /** The namespace when neither the step nor the cluster's configuration names one. */
    public static final String DEFAULT_NAMESPACE = "default";

    /**
     * How many times the client itself repeats a request the API server answered with a 5xx or that got no answer
     * (100, 200, 400 ms apart) before the engine hears of it. fabric8's default of 10 ties the calling thread up for
     * some 20 s; the rollout runner retries a failed look on its own, without holding a thread.
     */
    public static final int CLIENT_RETRIES = 3;

    private static final String SERVER_FORM = "https://HOST[:PORT] of the Kubernetes API server";
    private static final String KUBECONFIG_FORM = "a kubeconfig file (the format of ~/.kube/config)";

    private KubeClients() {}

    /** A client for the context {@code context} (or the file's current context when null) of a kubeconfig file. */
    public static KubernetesClient fromKubeconfig(Path kubeconfig, String context) {
        if (kubeconfig == null || !Files.isRegularFile(kubeconfig)) {
            throw new InvalidInputException("kubeconfig", "no file at " + kubeconfig, KUBECONFIG_FORM);
        }
        String text;
        try {
            text = Files.readString(kubeconfig, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("kubeconfig", "cannot read " + kubeconfig + " (" + Problems.describe(e) + ")",
                    KUBECONFIG_FORM);
        }
        return build(kubeconfig(text, context, kubeconfig.toAbsolutePath().toString()));
    }

    /** Like {@link #fromKubeconfig(Path, String)} for kubeconfig text held in memory (e.g. a secret file credential). */
    public static KubernetesClient fromKubeconfigText(String kubeconfig, String context) {
        if (kubeconfig == null || kubeconfig.isBlank()) {
            throw new InvalidInputException("kubeconfig", "is empty", KUBECONFIG_FORM);
        }
        return build(kubeconfig(kubeconfig, context, null));
    }

    /**
     * A client configured the way {@code kubectl} and fabric8 find a cluster by default: the in-cluster service
     * account, else {@code $KUBECONFIG} or {@code ~/.kube/config} (then {@code context} picks a context in it).
     */
    public static KubernetesClient fromDefaultConfig(String context) {
        requireDefaultConfiguration(System.getenv());
        Config config = Config.autoConfigure(context);
        requireContext(config, context);
        return build(config);
    }

    /**
     * A client for the API server at {@code server} that authenticates with a bearer {@code token}. The server is
     * trusted through {@code caCertificatePem} (PEM, one or more certificates) or, when null, the JVM's trust
     * store. Plain {@code http://} is accepted only for a loopback address, as a token must not cross a network
     * in clear text.
     */
    public static KubernetesClient fromToken(URI server, String token, String caCertificatePem) {
        requireServer(server);
        if (token == null || token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new InvalidInputException("token", "is empty or contains whitespace or control characters",
                    "a bearer token (a service account token or similar)");
        }
        ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(server.toString()).withOauthToken(token.strip());
        if (caCertificatePem != null) {
            requireCertificates(caCertificatePem);
            config.withCaCertData(Base64.getEncoder().encodeToString(caCertificatePem.getBytes(StandardCharsets.UTF_8)));
        }
        return build(config.build());
    }

    /**
     * The namespace a target gets when none is named: the one of the client's configuration — its kubeconfig
     * context's, or the in-cluster service account's — else {@value #DEFAULT_NAMESPACE}.
     */
    public static String defaultNamespace(KubernetesClient client) {
        String namespace = client.getNamespace();
        return namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    }

    /**
     * {@code requested} when given, else {@link #defaultNamespace} of a client opened (and closed) just for it;
     * opening a client does not connect to the cluster.
     */
    public static String namespace(String requested, Supplier<? extends KubernetesClient> clients) {
        if (requested != null && !requested.isBlank()) {
            return requested.strip();
        }
        try (KubernetesClient client = clients.get()) {
            return defaultNamespace(client);
        }
    }

    private static Config kubeconfig(String text, String context, String path) {
        Config config;
        try {
            config = Config.fromKubeconfig(context, text, path);
        } catch (RuntimeException e) {
            // The YAML parser's messages quote lines of the file, and a kubeconfig holds credentials: leave them out.
            throw new InvalidInputException("kubeconfig", (path == null ? "the text" : path) + " cannot be read as a kubeconfig",
                    KUBECONFIG_FORM);
        }
        requireContext(config, context);
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new InvalidInputException("kubeconfig", "the selected context names no cluster server", KUBECONFIG_FORM);
        }
        return config;
    }

    /**
     * Refuses at once, with {@link NoClusterConfigurationException}, an environment where fabric8 would find no
     * configuration: no kubeconfig file, no service account, no {@code kubernetes.master}.
     */
    static void requireDefaultConfiguration(Map<String, String> environment) {
        List<String> looked = new ArrayList<>();
        String kubeconfigVariable = environment.get("KUBECONFIG");
        String property = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);
        for (String file : Config.getKubeconfigFilenames()) {
            if (Files.isRegularFile(Path.of(file))) {
                return;
            }
            looked.add(file + " (no such file)");
        }
        if (property == null && (kubeconfigVariable == null || kubeconfigVariable.isBlank())) {
            looked.add(0, "$KUBECONFIG (not set)");
        }
        if (environment.get(Config.KUBERNETES_SERVICE_HOST_PROPERTY) != null
                || Files.isRegularFile(Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH))) {
            return;
        }
        looked.add("the in-cluster service account (" + Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH + ": not in a cluster)");
        if (System.getProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY) != null || environment.get("KUBERNETES_MASTER") != null) {
            return;
        }
        throw new NoClusterConfigurationException(looked, KUBECONFIG_FORM + ", or a cluster named in the configuration");
    }

    private static void requireContext(Config config, String context) {
        if (context == null) {
            return;
        }
        NamedContext current = config.getCurrentContext();
        if (current == null || !context.equals(current.getName())) {
            List<NamedContext> contexts = config.getContexts() == null ? List.of() : config.getContexts();
            throw new InvalidInputException("context", "no context \"" + context + "\" in the kubeconfig",
                    contexts.isEmpty() ? "a context defined in the kubeconfig"
                            : "one of " + contexts.stream().map(NamedContext::getName).collect(Collectors.joining(", ")));
        }
    }

    /** A Kubernetes API server's URL as a token connection takes it ({@link #fromToken}); {@code field} names it. */
    public static URI serverUrl(String text, String field) {
        URI server;
        try {
            server = new URI(text == null ? "" : text.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, "is not a URL (" + e.getReason() + ")", SERVER_FORM);
        }
        requireServer(server, field);
        return server;
    }

    private static void requireServer(URI server) {
        requireServer(server, "server");
    }

    private static void requireServer(URI server, String field) {
        String form = SERVER_FORM;
        if (server != null && (server.getRawUserInfo() != null || String.valueOf(server).contains("@"))) {
            throw new InvalidInputException(field, "must not contain user information", form); // never echoed
        }
        if (server == null || server.getHost() == null || server.getScheme() == null) {
            throw new InvalidInputException(field, "\"" + server + "\" is not an absolute URL", form);
        }
        String scheme = server.getScheme().toLowerCase(Locale.ROOT);
        if ("http".equals(scheme) && !isLoopback(server.getHost())) {
            throw new InvalidInputException(field, "http:// would send the token in clear text to " + server.getHost(), form);
        }
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new InvalidInputException(field, "unsupported scheme \"" + scheme + "\"", form);
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void requireCertificates(String pem) {
        TlsTrust.requireCertificates(pem, "caCertificate");
    }

    private static KubernetesClient build(Config config) {
        return builder(config).build();
    }

    /**
     * How the engine opens every client: with {@link #withEngineRetries} and on the process's shared, bounded threads
     * ({@link EngineThreads}) — the client's informer and watch callbacks always, its HTTP answers when fabric8 uses
     * the JDK HTTP client — so that a process driving a hundred rollouts on any number of clusters adds a few threads,
     * not one per request in flight. Another HTTP client (OkHttp in Jenkins) keeps the threads it makes itself.
     */
    public static KubernetesClientBuilder builder(Config config) {
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(withEngineRetries(config))
                .withTaskExecutor(EngineThreads.kubernetesTasks());
        if (isJdkHttpClient(HttpClientUtils.getHttpClientFactory())) {
            builder.withHttpClientFactory(new SharedThreadsJdkHttpClientFactory());
        }
        return builder;
    }

    /**
     * Whether {@code factory}, the one fabric8 found on the class path, is its plain JDK client's. Asked by name, so
     * that {@link SharedThreadsJdkHttpClientFactory} is loaded only where the JDK client is.
     */
    static boolean isJdkHttpClient(HttpClient.Factory factory) {
        return factory != null && factory.getClass().getName().equals("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory");
    }

    /** {@code config} with the engine's client retries ({@link #CLIENT_RETRIES}), for a client the engine drives rollouts with. */
    public static Config withEngineRetries(Config config) {
        config.setRequestRetryBackoffLimit(CLIENT_RETRIES);
        return config;
    }
}
