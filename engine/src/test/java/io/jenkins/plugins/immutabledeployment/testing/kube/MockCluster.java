package io.jenkins.plugins.immutabledeployment.testing.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jenkins.plugins.immutabledeployment.kube.KubeClients;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A Kubernetes stand-in for tests: the fabric8 mock server in CRUD mode on a loopback port, a client for it and a
 * {@link FakeClusterController} playing the Deployment controller and kubelet. Waits read the cluster until a
 * condition holds, woken by informers, with a deadline; never sleeps.
 *
 * <p>One difference from a real API server matters to informer-driven code under test: the mock server cannot
 * resume a watch from the resourceVersion of the informer's initial list. When its watch opens it re-sends the
 * objects that exist (so changes made meanwhile arrive), but an object deleted in between stays in the informer's
 * cache. Let an informer-based wait get going (e.g. wait for the next status change) before deleting what it
 * watches.
 */
public final class MockCluster implements AutoCloseable {

    public static final Duration DEADLINE = Duration.ofSeconds(60);
    static final Duration RECHECK = Duration.ofMillis(100);

    private final KubernetesMockServer server;
    private final ApiFaults faults;
    private final KubernetesClient client;
    private final FakeClusterController controller;
    private final Changes changes = new Changes();
    private final List<SharedIndexInformer<?>> watches;

    private MockCluster() {
        // CRUD mode, plus one-off expectations (server().expect()…once()) that take precedence, e.g. to inject a 409,
        // and API-server faults on demand (faults()).
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        faults = new ApiFaults(expectations);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, faults, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        controller = new FakeClusterController(client).start();
        watches = List.of(client.apps().deployments().inAnyNamespace().inform(changes),
                client.pods().inAnyNamespace().inform(changes));
    }

    public static MockCluster start() {
        return new MockCluster();
    }

    public KubernetesClient client() {
        return client;
    }

    public KubernetesMockServer server() {
        return server;
    }

    public FakeClusterController controller() {
        return controller;
    }

    /** Faults the server answers with on demand (error statuses, 429s, watches answered 410 Gone). */
    public ApiFaults faults() {
        return faults;
    }

    /** The server's loopback port, e.g. for a {@link ConnectionRelay} in front of it. */
    public int port() {
        return server.getPort();
    }

    /** The requests the server received since the last call (or its start), oldest first. */
    public List<RecordedRequest> takeRequests() {
        List<RecordedRequest> requests = new java.util.ArrayList<>();
        try {
            for (RecordedRequest r = server.takeRequest(0, TimeUnit.MILLISECONDS); r != null;
                    r = server.takeRequest(0, TimeUnit.MILLISECONDS)) {
                requests.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return requests;
    }

    /**
     * A client of its own (another process, for races), closed by the caller; it repeats a failed request as the
     * engine's clients do ({@link KubeClients#withEngineRetries}).
     */
    public KubernetesClient newClient() {
        return newClient(client.getConfiguration().getMasterUrl());
    }

    /** {@link #newClient()} reaching the server at {@code masterUrl}, e.g. through a {@link ConnectionRelay}. */
    public KubernetesClient newClient(String masterUrl) {
        return server.createClient(builder -> builder.withConfig(KubeClients.withEngineRetries(
                new ConfigBuilder(client.getConfiguration()).withMasterUrl(masterUrl).build())));
    }

    /**
     * Creates a stable Deployment {@code name} with pods labelled {@code app=name} and one container {@code app}
     * running {@code image}, and waits until the controller has made its pods ready.
     */
    public Deployment createStable(String namespace, String name, int replicas, String image) {
        return createStable(namespace, name, replicas, image, Map.of("app", name));
    }

    public Deployment createStable(String namespace, String name, int replicas, String image, Map<String, String> podLabels) {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().withMatchLabels(podLabels).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage(image).addNewPort().withContainerPort(8080).endPort().endContainer()
                .addNewContainer().withName("sidecar").withImage("registry.example.com/proxy:1.0").endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        client.apps().deployments().inNamespace(namespace).resource(deployment).create();
        return awaitDeployment(namespace, name, d -> rolledOut(d, replicas));
    }

    public Service createService(String namespace, String name, Map<String, String> selector) {
        return client.services().inNamespace(namespace).resource(new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withSelector(selector).addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec()
                .build()).create();
    }

    /** Waits (up to {@link #DEADLINE}) until the Deployment exists and satisfies {@code condition}. */
    public Deployment awaitDeployment(String namespace, String name, Predicate<Deployment> condition) {
        var resource = client.apps().deployments().inNamespace(namespace).withName(name);
        return await("Deployment " + namespace + "/" + name, resource::get, d -> d != null && condition.test(d));
    }

    /** Waits until the Deployment is gone. */
    public void awaitDeploymentGone(String namespace, String name) {
        var resource = client.apps().deployments().inNamespace(namespace).withName(name);
        await("Deployment " + namespace + "/" + name + " to be deleted", resource::get, d -> d == null);
    }

    /** Waits until the pods with {@code labels} satisfy {@code condition}. */
    public List<Pod> awaitPods(String namespace, Map<String, String> labels, Predicate<List<Pod>> condition) {
        var pods = client.pods().inNamespace(namespace).withLabels(labels);
        return await("pods " + labels + " in " + namespace, () -> pods.list().getItems(), condition);
    }

    /**
     * Reads {@code read} until {@code condition} holds, for up to {@link #DEADLINE}. Between reads it waits until a
     * Deployment or pod changes, or at most {@link #RECHECK} (a safety net for changes the watches do not report:
     * the mock server's watches miss deletions made while a watch starts).
     */
    public <T> T await(String what, Supplier<T> read, Predicate<T> condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            long seen = changes.count();
            T now = read.get();
            if (condition.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what + "; last seen: " + now);
            }
            changes.awaitChangeAfter(seen, RECHECK);
        }
    }

    /** Counts changes of Deployments and pods seen by two informers, and wakes waiters. */
    private static final class Changes implements ResourceEventHandler<HasMetadata> {

        private long count;

        synchronized long count() {
            return count;
        }

        synchronized void awaitChangeAfter(long seen, Duration max) {
            long until = System.nanoTime() + max.toNanos();
            try {
                for (long left = max.toMillis(); count == seen && left > 0; left = (until - System.nanoTime()) / 1_000_000) {
                    wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        private synchronized void changed() {
            count++;
            notifyAll();
        }

        @Override
        public void onAdd(HasMetadata object) {
            changed();
        }

        @Override
        public void onUpdate(HasMetadata before, HasMetadata after) {
            changed();
        }

        @Override
        public void onDelete(HasMetadata object, boolean finalStateUnknown) {
            changed();
        }
    }

    /** Whether the Deployment's pods all run its current template, ready, and no others. */
    public static boolean rolledOut(Deployment deployment, int replicas) {
        var status = deployment.getStatus();
        return status != null
                && status.getObservedGeneration() != null
                && status.getObservedGeneration() >= deployment.getMetadata().getGeneration()
                && Integer.valueOf(replicas).equals(status.getReplicas())
                && Integer.valueOf(replicas).equals(status.getUpdatedReplicas())
                && Integer.valueOf(replicas).equals(status.getReadyReplicas());
    }

    /** Waits for {@code future} to fail, up to {@link #DEADLINE}; returns the failure (a success fails the test). */
    public static Throwable awaitFailure(CompletableFuture<?> future, String what) {
        Object value;
        try {
            value = within(future, what);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError(what + " succeeded with " + value + " where a failure was expected");
    }

    /** Waits for {@code future} up to {@link #DEADLINE}; a timeout fails the test with {@code what}. */
    public static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return within(future, what);
        } catch (ExecutionException e) {
            throw new AssertionError("failed waiting for " + what + ": " + e.getCause(), e.getCause());
        }
    }

    private static <T> T within(CompletableFuture<T> future, String what) throws ExecutionException {
        try {
            return future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    @Override
    public void close() {
        Throwable failure = controller.failure();
        watches.forEach(SharedIndexInformer::close);
        controller.close();
        client.close();
        server.destroy();
        if (failure != null) {
            throw new AssertionError("the fake cluster controller failed", failure);
        }
    }
}
