package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Objects;

/**
 * Where this package reads Deployments and pods: straight from the API server ({@link #direct}), or from the caches
 * of {@link WatchedNamespaces} for the namespaces it watches. A cached read may be a moment behind the server. That is
 * safe for writes: each write is locked to the resourceVersion of what it read, so one based on an outdated read is
 * refused with 409 Conflict and made again from {@link #fresh()} reads (see {@link KubeCalls#retryOnConflict}).
 *
 * <p>Objects returned may be shared with a cache: callers never change them (they clone what they edit).
 */
public interface ClusterReads {

    /** The Deployment, or null when there is none. */
    Deployment deployment(String namespace, String name);

    /** The pods {@code selector} selects in {@code namespace}. */
    List<Pod> pods(String namespace, LabelSelector selector);

    /** Reads that go to the API server, for a retry after a conflict. */
    ClusterReads fresh();

    /** Tells a cache what a write of this process returned, so that its next reads see at least that. */
    default void wrote(Deployment written) {}

    /** Tells a cache that this process deleted the Deployment. */
    default void deleted(String namespace, String name) {}

    /** Reads from the API server, one request each. */
    static ClusterReads direct(KubernetesClient client) {
        Objects.requireNonNull(client, "client");
        return new ClusterReads() {
            @Override
            public Deployment deployment(String namespace, String name) {
                return KubeCalls.call("read Deployment " + namespace + "/" + name,
                        () -> StableDeployments.resource(client, namespace, name).get());
            }

            @Override
            public List<Pod> pods(String namespace, LabelSelector selector) {
                return KubeCalls.call("list pods in " + namespace,
                        () -> client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems());
            }

            @Override
            public ClusterReads fresh() {
                return this;
            }
        };
    }
}
