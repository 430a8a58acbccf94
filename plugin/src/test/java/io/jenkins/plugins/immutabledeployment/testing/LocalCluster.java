package io.jenkins.plugins.immutabledeployment.testing;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.config.ClusterEntry;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Kubernetes stand-in for the tests of one class ({@code @RegisterExtension static final LocalCluster CLUSTER = new
 * LocalCluster();}): the engine's {@code testing.kube.MockClusterProcess} (the fabric8 mock server in CRUD mode and
 * the fake Deployment controller and kubelet) in a {@code java} process of its own, because the mock server cannot
 * live on a Jenkins test classpath. It runs on the engine's test classpath, which the engine's Maven build writes to
 * {@code engine/target/test-classpath.txt}: build the engine module first. The process ends when its input does, at
 * the end of the class or when this JVM dies.
 *
 * <p>The engine's {@code MockClusterProcessIT} launches the process the same way and drives rollouts, a rollback, a
 * stop and a resume on it with the engine classes the steps use.
 */
public final class LocalCluster implements BeforeAllCallback, AfterAllCallback {

    /** System property naming the engine module's {@code target} directory (set in plugin/pom.xml). */
    public static final String ENGINE_TARGET = "immutableDeployment.engineTarget";
    private static final String MAIN = "io.jenkins.plugins.immutabledeployment.testing.kube.MockClusterProcess";
    private static final String READY = "mock-cluster";
    private static final long DEADLINE_SECONDS = Await.DEADLINE.toSeconds();

    private Process process;
    private Path log;
    private String kubeconfig;
    private KubernetesClient client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path target = Path.of(System.getProperty(ENGINE_TARGET, "../engine/target"));
        Path classpathFile = target.resolve("test-classpath.txt");
        Path testClasses = target.resolve("test-classes");
        if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(testClasses)) {
            throw new IllegalStateException("no " + classpathFile + " or " + testClasses
                    + ": the Kubernetes tests launch the engine's mock cluster from them; build the engine module first: mvn -pl engine verify");
        }
        String classpath = String.join(File.pathSeparator, testClasses.toString(), target.resolve("classes").toString(),
                Files.readString(classpathFile, StandardCharsets.UTF_8).strip());
        log = Files.createTempFile("mock-cluster-", ".log");
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, MAIN)
                .redirectError(log.toFile())
                .start();
        String[] ready = readyLine();
        kubeconfig = Files.readString(Path.of(ready[2]), StandardCharsets.UTF_8);
        client = KubeClients.fromKubeconfigText(kubeconfig, null);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (client != null) {
            client.close();
        }
        if (process == null) {
            return; // never started (beforeAll said why)
        }
        process.getOutputStream().close();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the mock cluster did not exit when its input ended:\n" + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the mock cluster's fake controller failed:\n" + Files.readString(log));
        }
        Files.delete(log);
    }

    /** A client of the cluster, for setting up and judging (the steps make their own from the configured cluster). */
    public KubernetesClient client() {
        return client;
    }

    /**
     * Lets the steps reach it as {@code cluster: name}: a Secret file credential {@code name-kubeconfig} holding its
     * kubeconfig (plain HTTP to a loopback port, no credentials in it) and a cluster entry using it.
     */
    public void configure(String name) throws IOException {
        String credentialsId = name + "-kubeconfig";
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials().add(new FileCredentialsImpl(CredentialsScope.GLOBAL, credentialsId, "mock cluster", "kubeconfig",
                SecretBytes.fromRawBytes(kubeconfig.getBytes(StandardCharsets.UTF_8))));
        store.save();
        ClusterEntry cluster = new ClusterEntry(name);
        cluster.setKubeconfigCredentialsId(credentialsId);
        ImmutableDeploymentConfiguration.get().setClusters(List.of(cluster));
    }

    /**
     * Creates a stable Deployment {@code name} (pods labelled {@code app=name}, one container {@code app} running
     * {@code image}) and returns it once the fake controller has rolled it out.
     */
    public Deployment createStable(String namespace, String name, int replicas, String image) {
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
                .endTemplate()
                .endSpec()
                .build()).create();
        return awaitDeployment(namespace, name, d -> rolledOut(d, replicas));
    }

    /** Records {@code image} as a release that went live in the Deployment's release ledger, as an earlier rollout would have. */
    public void recordRelease(String namespace, String name, String image) {
        new ReleaseLedger(client).append(DeploymentTarget.of(namespace, name),
                new Release(PinnedImage.parse(image, "image"), "an earlier release", Instant.now(), ReleaseOutcome.PROMOTED, null));
    }

    /** Waits (informer-driven, up to {@link Await#DEADLINE}) until the Deployment exists and satisfies {@code condition}. */
    public Deployment awaitDeployment(String namespace, String name, Predicate<Deployment> condition) {
        return client.apps().deployments().inNamespace(namespace).withName(name)
                .waitUntilCondition(d -> d != null && condition.test(d), DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The Deployment as it is now, or null. */
    public Deployment deployment(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    /** The image of the Deployment's first container now. */
    public String image(String namespace, String name) {
        return deployment(namespace, name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** Whether the Deployment's pods all run its current template, ready, and no others. */
    public static boolean rolledOut(Deployment deployment, int replicas) {
        DeploymentStatus status = deployment.getStatus();
        Integer wanted = replicas;
        return status != null
                && status.getObservedGeneration() != null
                && status.getObservedGeneration() >= deployment.getMetadata().getGeneration()
                && wanted.equals(status.getReplicas())
                && wanted.equals(status.getUpdatedReplicas())
                && wanted.equals(status.getReadyReplicas());
    }

    /** The process's first line, {@code mock-cluster URL KUBECONFIG}, within the deadline. */
    private String[] readyLine() throws IOException {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    return stdout.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the mock cluster did not start within " + Await.DEADLINE + ":\n" + Files.readString(log), e);
        }
        String[] words = line == null ? new String[0] : line.split(" ");
        if (words.length != 3 || !READY.equals(words[0])) {
            process.destroyForcibly();
            throw new IllegalStateException("the mock cluster said \"" + line + "\":\n" + Files.readString(log));
        }
        return words;
    }
}
