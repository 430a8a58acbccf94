package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The namespaces in which this process drives rollouts, each watched once however many rollouts run there: one
 * informer on its Deployments (stable and canary ones) and one on its canary pods (label
 * {@value CanaryDeployments#ROLE_LABEL}{@code =canary}). A change wakes only the rollouts it concerns: a Deployment
 * the rollout of its stable or canary Deployment, a pod the rollout whose canary selects it. The caches answer the
 * rollouts' reads ({@link #reads()}), so looking at the cluster costs the API server nothing; writes still go to it.
 * A namespace's informers start with its first rollout and stop after its last. Informer callbacks run on the
 * client's few shared threads ({@link KubeClients#builder}) and only hand the news on, never waiting for a request;
 * no thread of its own.
 *
 * <p>A watch that drops or is answered 410 Gone is restarted by the informer (relisting when it must); the changes
 * it brings wake the rollouts as any other.
 */
public final class WatchedNamespaces implements AutoCloseable {

    /** How long what this process wrote stands in for the cached object at most, until the watch brings it. */
    static final Duration OWN_WRITE_HORIZON = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final ClusterReads direct;
    private final Map<String, Watched> namespaces = new HashMap<>(); // guarded by this
    private final ClusterReads reads = new CachedReads();
    private boolean closed; // guarded by this

    public WatchedNamespaces(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.direct = ClusterReads.direct(client);
    }

    /**
     * Calls {@code onChange} (quickly, never blocking) whenever the stable or canary Deployment of {@code target} or a
     * pod of its canary changes, until the returned subscription is closed. Starts watching the namespace if no
     * rollout there did (waiting for the first list).
     */
    public AutoCloseable watch(DeploymentTarget target, Runnable onChange) {
        Objects.requireNonNull(onChange, "onChange");
        Subscriber subscriber = new Subscriber(target, onChange);
        Watched namespace;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the watches of this runner are closed");
            }
            namespace = namespaces.computeIfAbsent(target.namespace(), Watched::new);
            namespace.subscribers.add(subscriber);
        }
        try {
            namespace.start();
        } catch (RuntimeException e) {
            unsubscribe(namespace, subscriber);
            throw e;
        }
        return () -> unsubscribe(namespace, subscriber);
    }

    /** Reads from the caches of the watched namespaces, from the API server for the others. */
    public ClusterReads reads() {
        return reads;
    }

    /** How many namespaces are watched now. */
    public synchronized int watchedNamespaces() {
        return namespaces.size();
    }

    @Override
    public void close() {
        List<Watched> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(namespaces.values());
            namespaces.clear();
        }
        all.forEach(Watched::stop);
    }

    private void unsubscribe(Watched namespace, Subscriber subscriber) {
        boolean last;
        synchronized (this) {
            namespace.subscribers.remove(subscriber);
            last = namespace.subscribers.isEmpty() && namespaces.get(namespace.name) == namespace;
            if (last) {
                namespaces.remove(namespace.name);
            }
        }
        if (last) {
            namespace.stop();
        }
    }

    private synchronized Watched watchedOrStarting(String namespace) {
        return namespaces.get(namespace);
    }

    private synchronized Watched synced(String namespace) {
        Watched watched = namespaces.get(namespace);
        return watched != null && watched.synced() ? watched : null;
    }

    private record Subscriber(DeploymentTarget target, Runnable onChange) {}

    /** What this process wrote, and when, standing in for the cached object until the watch brings that version. */
    private record Written(Deployment object, String resourceVersion, long atNanos) {

        boolean current() {
            return System.nanoTime() - atNanos < OWN_WRITE_HORIZON.toNanos();
        }
    }

    /** How many resourceVersions of each Deployment the watch brought are remembered, to tell whether a write was seen. */
    static final int SEEN_VERSIONS = 8;

    private final class Watched {

        final String name;
        final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
        // Both guarded by this: a write is remembered only if the watch has not brought it already.
        private final Map<String, Written> written = new HashMap<>();
        private final Map<String, ArrayDeque<String>> seen = new HashMap<>();
        private final Object starting = new Object();
        // Written once started (under starting); read by the informers' callbacks and the reads without a lock.
        private volatile SharedIndexInformer<Deployment> deployments;
        private volatile SharedIndexInformer<Pod> canaryPods;
        private boolean stopped; // guarded by starting

        Watched(String name) {
            this.name = name;
        }

        /** Starts both informers unless they run; returns once their first lists are in. */
        void start() {
            synchronized (starting) {
                if (stopped) {
                    throw new IllegalStateException("the watches of namespace " + name + " were stopped");
                }
                if (canaryPods != null) {
                    return;
                }
                KubeCalls.call("watch the Deployments and canary pods of namespace " + name, () -> {
                    SharedIndexInformer<Deployment> d = client.apps().deployments().inNamespace(name).inform(handler(this::deploymentChanged));
                    try {
                        deployments = d;
                        canaryPods = client.pods().inNamespace(name).withLabel(CanaryDeployments.ROLE_LABEL, CanaryDeployments.ROLE_CANARY)
                                .inform(handler(this::podChanged));
                    } catch (RuntimeException e) {
                        deployments = null;
                        d.close();
                        throw e;
                    }
                    return null;
                });
            }
        }

        boolean synced() {
            SharedIndexInformer<Deployment> d = deployments;
            SharedIndexInformer<Pod> p = canaryPods;
            return d != null && p != null && d.hasSynced() && p.hasSynced();
        }

        Deployment cached(String deployment) {
            return deployments.getStore().getByKey(name + "/" + deployment);
        }

        /**
         * The Deployment as this process wrote it, until the watch brings that write, else as the cache has it. Never a
         * request: the informers' callbacks ask it, and they run on threads that must not wait.
         */
        Deployment known(String deployment) {
            Written mine = ownWrite(deployment);
            return mine != null ? mine.object() : cached(deployment);
        }

        /** What this process wrote of {@code deployment}, while the watch has not brought it yet; else null. */
        synchronized Written ownWrite(String deployment) {
            Written mine = written.get(deployment);
            if (mine != null && !mine.current()) {
                written.remove(deployment);
                return null;
            }
            return mine;
        }

        /**
         * Remembers a write of this process (a deletion when {@code object} is null), unless the watch has brought it
         * already: then the cache is at least as new.
         */
        synchronized void remember(String deployment, Deployment object, String version) {
            boolean brought = object == null ? synced() && cached(deployment) == null
                    : seen.getOrDefault(deployment, new ArrayDeque<>()).contains(version);
            if (!brought) {
                written.put(deployment, new Written(object, version, System.nanoTime()));
            }
        }

        List<Pod> cachedCanaryPods() {
            return canaryPods.getStore().list();
        }

        void stop() {
            SharedIndexInformer<?> d;
            SharedIndexInformer<?> p;
            synchronized (starting) {
                stopped = true;
                d = deployments;
                p = canaryPods;
            }
            if (d != null) {
                d.close();
            }
            if (p != null) {
                p.close();
            }
        }

        private void deploymentChanged(HasMetadata object, Event event) {
            String deployment = object.getMetadata().getName();
            String version = object.getMetadata().getResourceVersion();
            synchronized (this) {
                ArrayDeque<String> versions = seen.computeIfAbsent(deployment, d -> new ArrayDeque<>());
                versions.addLast(version);
                if (versions.size() > SEEN_VERSIONS) {
                    versions.removeFirst();
                }
                Written mine = written.get(deployment);
                boolean caughtUp = event == Event.DELETED || (mine != null && mine.object() == null && event == Event.ADDED)
                        || (mine != null && Objects.equals(mine.resourceVersion(), version));
                if (mine != null && caughtUp) {
                    written.remove(deployment);
                }
                if (event == Event.DELETED) {
                    seen.remove(deployment);
                }
            }
            for (Subscriber s : subscribers) {
                if (s.target().deployment().equals(deployment) || s.target().canaryName().equals(deployment)) {
                    s.onChange().run();
                }
            }
        }

        private void podChanged(HasMetadata pod, Event event) {
            for (Subscriber s : subscribers) {
                Deployment canary = known(s.target().canaryName());
                if (canary != null && LabelSelectors.selects(canary.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                    s.onChange().run();
                }
            }
        }
    }

    private enum Event { ADDED, UPDATED, DELETED }

    private interface Change {
        void seen(HasMetadata object, Event event);
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Change change) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                change.seen(object, Event.ADDED);
            }

            @Override
            public void onUpdate(T before, T after) {
                change.seen(after, Event.UPDATED);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                change.seen(object, Event.DELETED);
            }
        };
    }

    /** Cache first for watched namespaces; what this process wrote counts until the watch has brought it. */
    private final class CachedReads implements ClusterReads {

        @Override
        public Deployment deployment(String namespace, String name) {
            Watched watched = synced(namespace);
            if (watched == null) {
                return direct.deployment(namespace, name);
            }
            return watched.known(name);
        }

        @Override
        public List<Pod> pods(String namespace, LabelSelector selector) {
            Watched watched = synced(namespace);
            boolean canariesOnly = selector != null && selector.getMatchLabels() != null
                    && CanaryDeployments.ROLE_CANARY.equals(selector.getMatchLabels().get(CanaryDeployments.ROLE_LABEL));
            if (watched == null || !canariesOnly) {
                return direct.pods(namespace, selector);
            }
            return watched.cachedCanaryPods().stream().filter(p -> LabelSelectors.selects(selector, p.getMetadata().getLabels())).toList();
        }

        @Override
        public ClusterReads fresh() {
            return direct;
        }

        @Override
        public void wrote(Deployment object) {
            remember(object.getMetadata().getNamespace(), object.getMetadata().getName(), object, object.getMetadata().getResourceVersion());
        }

        @Override
        public void deleted(String namespace, String name) {
            remember(namespace, name, null, null);
        }

        /**
         * Also while the namespace's first list is under way: that list may have been taken before this write, and the
         * watch event that brings the write may come after the caches say they are synced.
         */
        private void remember(String namespace, String name, Deployment object, String resourceVersion) {
            Watched watched = watchedOrStarting(namespace);
            if (watched != null) {
                watched.remember(name, object, resourceVersion);
            }
        }
    }
}
