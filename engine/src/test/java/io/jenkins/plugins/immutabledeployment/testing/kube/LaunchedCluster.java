package io.jenkins.plugins.immutabledeployment.testing.kube;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import io.jenkins.plugins.immutabledeployment.kube.RolloutStatusStore;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link MockClusterProcess} launched as the plugin's {@code testing/LocalCluster} launches it: {@code java -cp
 * target/test-classes:target/classes:<target/test-classpath.txt>}, stdin a pipe kept open, stderr to a log file, the
 * first stdout line naming the API server and the kubeconfig. Used by the engine's tests and the rollouts benchmark,
 * which want the cluster's threads and heap out of the process they measure.
 */
public record LaunchedCluster(Process process, Path logFile, Path kubeconfig) {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Launches the process with the JVM options {@code jvmOptions} and waits until it serves. */
    public static LaunchedCluster start(String... jvmOptions) throws IOException {
        Path testClasses;
        try {
            testClasses = Path.of(MockClusterProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path target = testClasses.getParent();
        Path classpathFile = target.resolve("test-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new AssertionError(classpathFile + " is missing: the engine's Maven build writes it (dependency:build-classpath)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(testClasses + java.io.File.pathSeparator + target.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(classpathFile, StandardCharsets.UTF_8).strip());
        command.add(MockClusterProcess.class.getName());
        Path log = Files.createTempFile("mock-cluster-", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    return stdout.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the mock cluster did not start within " + DEADLINE + ":\n" + Files.readString(log), e);
        }
        String[] words = line == null ? new String[0] : line.split(" ");
        if (words.length != 3 || !words[0].equals(MockClusterProcess.READY)) {
            process.destroyForcibly();
            throw new AssertionError("the mock cluster said \"" + line + "\":\n" + Files.readString(log));
        }
        return new LaunchedCluster(process, log, Path.of(words[2]));
    }

    /** The kubeconfig's text, as a Secret file credential holds it. */
    public String kubeconfigText() throws IOException {
        return Files.readString(kubeconfig, StandardCharsets.UTF_8);
    }

    /** A client as the plugin's cluster credential makes one: from the kubeconfig's text. */
    public KubernetesClient newClient() throws IOException {
        return KubeClients.fromKubeconfigText(kubeconfigText(), null);
    }

    /** A stable Deployment {@code name}: pods {@code app=name}, one container {@code app}; as the plugin's {@code LocalCluster} makes it. */
    public static Deployment stable(String namespace, String name, int replicas, String image) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** Waits until the fake controller has rolled the Deployment out with {@code replicas} ready pods. */
    public static Deployment awaitRolledOut(KubernetesClient client, String namespace, String name, int replicas) {
        return client.apps().deployments().inNamespace(namespace).withName(name)
                .waitUntilCondition(d -> d != null && MockCluster.rolledOut(d, replicas), DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Waits until the rollout status stored on the Deployment of {@code target} satisfies {@code condition}. */
    public static void awaitRolloutStatus(KubernetesClient client, DeploymentTarget target, Predicate<RolloutStatus> condition) {
        client.apps().deployments().inNamespace(target.namespace()).withName(target.deployment()).waitUntilCondition(d -> {
            String status = d == null || d.getMetadata().getAnnotations() == null ? null
                    : d.getMetadata().getAnnotations().get(RolloutStatusStore.ANNOTATION);
            return status != null && condition.test(RolloutStatus.fromJson(status));
        }, DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Ends its input and returns its exit status. */
    public int stop() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the mock cluster did not exit within " + DEADLINE + " of its input ending:\n" + logText());
        }
        return process.exitValue();
    }

    public String logText() throws IOException {
        return Files.readString(logFile);
    }
}
