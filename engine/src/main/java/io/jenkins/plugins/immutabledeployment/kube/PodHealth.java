package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Judges the canary's pods. {@link #evaluate} looks once (for a process that resumes a rollout);
 * {@link #watch} keeps two informers — the canary Deployment and its pods — and calls back whenever the judgement
 * changes, without polling and without a thread of its own (callbacks run on the client's informer threads, so a
 * listener must return quickly and never block).
 */
public final class PodHealth {

    /** Waiting reasons that mean the image will not run as it is. */
    public static final Set<String> FAILING_REASONS = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
            "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError");

    private final KubernetesClient client;
    private final ClusterReads reads;

    public PodHealth(KubernetesClient client) {
        this(client, ClusterReads.direct(client));
    }

    /** Reading the canary and its pods through {@code reads} (e.g. a {@link WatchedNamespaces} cache). */
    public PodHealth(KubernetesClient client, ClusterReads reads) {
        this.client = Objects.requireNonNull(client, "client");
        this.reads = Objects.requireNonNull(reads, "reads");
    }

    /** The canary's health now (no canary: nothing desired, nothing failing). */
    public CanaryHealth evaluate(DeploymentTarget target) {
        Deployment canary = reads.deployment(target.namespace(), target.canaryName());
        if (canary == null) {
            return assess(null, List.of());
        }
        return assess(canary, reads.pods(target.namespace(), canary.getSpec().getSelector()));
    }

    /**
     * Starts watching the canary (which must exist) and calls {@code listener} with the first judgement and then
     * with every change of it, until the returned watch is closed.
     */
    public HealthWatch watch(DeploymentTarget target, Consumer<CanaryHealth> listener) {
        Objects.requireNonNull(listener, "listener");
        Deployment canary = KubeCalls.call("read the canary Deployment of " + target,
                () -> StableDeployments.resource(client, target.namespace(), target.canaryName()).get());
        if (canary == null) {
            throw new DeploymentException("cannot watch the health of the canary of " + target + ": it does not exist");
        }
        LabelSelector selector = canary.getSpec().getSelector();
        HealthWatch watch = new HealthWatch(listener);
        KubeCalls.call("watch the canary of " + target, () -> {
            SharedIndexInformer<Deployment> canaryInformer =
                    StableDeployments.resource(client, target.namespace(), target.canaryName()).inform(watch.onChange());
            try {
                watch.start(canaryInformer,
                        client.pods().inNamespace(target.namespace()).withLabelSelector(selector).inform(watch.onChange()));
            } catch (RuntimeException e) {
                canaryInformer.close();
                throw e;
            }
            return null;
        });
        return watch;
    }

    /** Judges {@code pods} (any pods the canary's selector matched) against the canary Deployment {@code canary}. */
    static CanaryHealth assess(Deployment canary, List<Pod> pods) {
        if (canary == null) {
            return new CanaryHealth(0, 0, List.of(), false);
        }
        String digest = canary.getSpec().getTemplate().getMetadata().getLabels().get(CanaryDeployments.DIGEST_LABEL);
        List<Pod> current = pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> digest == null || digest.equals(labels(p).get(CanaryDeployments.DIGEST_LABEL)))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        List<PodProblem> problems = new ArrayList<>();
        int ready = 0;
        for (Pod pod : current) {
            problems.addAll(problems(pod));
            if (isReady(pod)) {
                ready++;
            }
        }
        boolean deadline = canary.getStatus() != null && canary.getStatus().getConditions() != null
                && canary.getStatus().getConditions().stream().anyMatch(c -> "Progressing".equals(c.getType())
                        && "False".equals(c.getStatus()) && "ProgressDeadlineExceeded".equals(c.getReason()));
        return new CanaryHealth(StableDeployments.specReplicas(canary), ready, problems, deadline);
    }

    private static List<PodProblem> problems(Pod pod) {
        String name = pod.getMetadata().getName();
        List<PodProblem> problems = new ArrayList<>();
        if (pod.getStatus() == null) {
            return problems;
        }
        if ("Failed".equals(pod.getStatus().getPhase())) {
            problems.add(new PodProblem(name, null, Objects.requireNonNullElse(pod.getStatus().getReason(), "Failed"),
                    Objects.requireNonNullElse(pod.getStatus().getMessage(), "")));
        }
        Stream.concat(statuses(pod.getStatus().getInitContainerStatuses()), statuses(pod.getStatus().getContainerStatuses()))
                .forEach(status -> problem(name, status).ifPresent(problems::add));
        return problems;
    }

    private static Optional<PodProblem> problem(String pod, ContainerStatus status) {
        int restarts = status.getRestartCount() == null ? 0 : status.getRestartCount();
        String restarted = restarts == 0 ? "" : "restarted " + restarts + " time" + (restarts == 1 ? "" : "s") + lastExit(status);
        var waiting = status.getState() == null ? null : status.getState().getWaiting();
        if (waiting != null && FAILING_REASONS.contains(waiting.getReason())) {
            String message = Stream.of(waiting.getMessage(), restarted).filter(s -> s != null && !s.isEmpty())
                    .reduce((a, b) -> a + "; " + b).orElse("");
            return Optional.of(new PodProblem(pod, status.getName(), waiting.getReason(), message));
        }
        if (restarts > 0) {
            return Optional.of(new PodProblem(pod, status.getName(), "Restarted", restarted));
        }
        return Optional.empty();
    }

    private static String lastExit(ContainerStatus status) {
        ContainerStateTerminated last = status.getLastState() == null ? null : status.getLastState().getTerminated();
        if (last == null) {
            return "";
        }
        return ", last exit: " + Objects.requireNonNullElse(last.getReason(), "terminated")
                + (last.getExitCode() == null ? "" : " with code " + last.getExitCode());
    }

    private static Stream<ContainerStatus> statuses(List<ContainerStatus> statuses) {
        return statuses == null ? Stream.empty() : statuses.stream();
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Map<String, String> labels(Pod pod) {
        return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    }

    /** A running health watch; closing it stops both informers. */
    public static final class HealthWatch implements AutoCloseable {

        private final Consumer<CanaryHealth> listener;
        private SharedIndexInformer<Deployment> canaryInformer;
        private SharedIndexInformer<Pod> podInformer;
        private CanaryHealth last;

        HealthWatch(Consumer<CanaryHealth> listener) {
            this.listener = listener;
        }

        /** The latest judgement. */
        public synchronized CanaryHealth current() {
            return last;
        }

        @Override
        public void close() {
            SharedIndexInformer<?> canary;
            SharedIndexInformer<?> pods;
            synchronized (this) {
                canary = canaryInformer;
                pods = podInformer;
            }
            if (canary != null) {
                canary.close();
            }
            if (pods != null) {
                pods.close();
            }
        }

        synchronized void start(SharedIndexInformer<Deployment> canary, SharedIndexInformer<Pod> pods) {
            this.canaryInformer = canary;
            this.podInformer = pods;
            reassess();
        }

        <T> ResourceEventHandler<T> onChange() {
            return new ResourceEventHandler<>() {
                @Override
                public void onAdd(T added) {
                    reassess();
                }

                @Override
                public void onUpdate(T before, T after) {
                    reassess();
                }

                @Override
                public void onDelete(T deleted, boolean finalStateUnknown) {
                    reassess();
                }
            };
        }

        private synchronized void reassess() {
            if (canaryInformer == null || podInformer == null) {
                return; // events during start-up: the judgement follows once both caches are there
            }
            List<Deployment> canaries = canaryInformer.getStore().list();
            CanaryHealth health = assess(canaries.isEmpty() ? null : canaries.get(0), podInformer.getStore().list());
            if (!health.equals(last)) {
                last = health;
                listener.accept(health);
            }
        }
    }
}
