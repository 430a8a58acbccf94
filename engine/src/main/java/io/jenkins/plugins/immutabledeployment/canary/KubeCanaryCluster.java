package io.jenkins.plugins.immutabledeployment.canary;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
import io.jenkins.plugins.immutabledeployment.kube.ClusterReads;
import io.jenkins.plugins.immutabledeployment.kube.CanaryHealth;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentNotFoundException;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.ImageDriftException;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.PodHealth;
import io.jenkins.plugins.immutabledeployment.kube.PodProblem;
import io.jenkins.plugins.immutabledeployment.kube.PromotionStatus;
import io.jenkins.plugins.immutabledeployment.kube.RolloutStatusStore;
import io.jenkins.plugins.immutabledeployment.kube.StablePromoter;
import io.jenkins.plugins.immutabledeployment.kube.TrafficRouter;
import io.jenkins.plugins.immutabledeployment.kube.WatchedNamespaces;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@link CanaryCluster} on a real API server, through the kube package's adapters. It looks at the cluster through the
 * caches of the runner's {@link WatchedNamespaces} (no request to the API server), and writes to the API server.
 */
final class KubeCanaryCluster implements CanaryCluster {

    private final WatchedNamespaces namespaces;
    private final ClusterReads reads;
    private final DeploymentTarget target;
    private final TrafficRouter router;
    private final CanaryDeployments canaries;
    private final PodHealth health;
    private final StablePromoter promoter;
    private final PinnedImage pinned;

    KubeCanaryCluster(KubernetesClient client, WatchedNamespaces namespaces, DeploymentTarget target, PinnedImage image,
            TrafficRouter router) {
        this.namespaces = namespaces;
        this.reads = namespaces.reads();
        this.pinned = image;
        this.target = target;
        this.router = router;
        this.canaries = new CanaryDeployments(client, reads);
        this.health = new PodHealth(client, reads);
        this.promoter = new StablePromoter(client, reads);
    }

    @Override
    public Observation observe(Integer requestedWeight, boolean fullSize) {
        Deployment stable = stable();
        Optional<Deployment> canary = canaries.find(target);
        ObservedState.Canary canaryState = ObservedState.Canary.ABSENT;
        if (canary.isPresent()) {
            CanaryHealth judged = health.evaluate(target);
            canaryState = ObservedState.Canary.running(judged.desiredReplicas(), judged.readyReplicas());
            Optional<ObservedState.PodFailure> failure = failure(judged);
            if (failure.isPresent()) {
                canaryState = canaryState.failing(failure.get());
            }
        }
        OptionalInt weight = requestedWeight != null && router.observe(target, requestedWeight, fullSize).settled()
                ? OptionalInt.of(requestedWeight) : OptionalInt.empty();
        return new Observation(canaryState, weight, stableState(stable), RolloutCommands.read(stable), storedStatus(stable));
    }

    @Override
    public String storedStatusNow() {
        Deployment stable = reads.fresh().deployment(target.namespace(), target.deployment());
        return stable == null ? null : storedStatus(stable);
    }

    private static String storedStatus(Deployment stable) {
        Map<String, String> annotations = stable.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(RolloutStatusStore.ANNOTATION);
    }

    private Optional<ObservedState.PodFailure> failure(CanaryHealth judged) {
        if (!judged.problems().isEmpty()) {
            PodProblem problem = judged.problems().get(0);
            return Optional.of(new ObservedState.PodFailure(problem.pod(), problem.container(), problem.reason(), problem.message(), 0));
        }
        if (judged.progressDeadlineExceeded()) {
            return Optional.of(new ObservedState.PodFailure(target.canaryName(), null, "ProgressDeadlineExceeded", judged.summary(), 0));
        }
        return Optional.empty();
    }

    private ObservedState.Stable stableState(Deployment stable) {
        String image = container(stable).getImage();
        if (!isPinned(image)) {
            return ObservedState.Stable.UNCHANGED;
        }
        long generation = stable.getMetadata().getGeneration() == null ? 0 : stable.getMetadata().getGeneration();
        PromotionStatus promotion = promoter.observe(target, generation);
        ObservedState.Stable state = promotion.complete() ? ObservedState.Stable.PROMOTED : ObservedState.Stable.UNCHANGED;
        if (!promotion.complete() && promotion.progressDeadlineExceeded()) {
            state = state.failing(new ObservedState.PodFailure(target.deployment(), null, "ProgressDeadlineExceeded",
                    promotion.summary(), 0));
        }
        return state;
    }

    /** Whether the stable container carries the image of this rollout (set by a promotion). */
    private boolean isPinned(String image) {
        return pinned.reference().equals(image);
    }

    @Override
    public boolean setCanaryWeight(PinnedImage image, int weight, boolean fullSize) {
        if (weight > 0 || fullSize) {
            canaries.ensure(target, image);
            return router.setWeight(target, weight, fullSize).settled();
        } else if (canaries.find(target).isPresent()) {
            return router.setWeight(target, 0).settled();
        }
        return false; // no canary: nothing moved, so nothing a look would not see anyway
    }

    @Override
    public void promoteStable(PinnedImage image) {
        promoter.promote(target, image);
    }

    @Override
    public void removeCanary() {
        if (canaries.find(target).isPresent()) {
            router.setWeight(target, 0);
            canaries.delete(target);
        }
    }

    @Override
    public ObservedState.ImageCheck verifyStableImages(PinnedImage image) {
        try {
            promoter.verifyImages(target, image);
            return ObservedState.ImageCheck.passed();
        } catch (ImageDriftException e) {
            return new ObservedState.ImageCheck(List.of(e.getMessage()));
        }
    }

    @Override
    public AutoCloseable watch(Runnable onChange) {
        return namespaces.watch(target, onChange);
    }

    private Deployment stable() {
        Deployment stable = reads.deployment(target.namespace(), target.deployment());
        if (stable == null) {
            throw new DeploymentNotFoundException(target);
        }
        return stable;
    }

    private Container container(Deployment stable) {
        List<Container> containers = stable.getSpec().getTemplate().getSpec().getContainers();
        if (target.container() == null) {
            return containers.get(0);
        }
        return containers.stream().filter(c -> target.container().equals(c.getName())).findFirst().orElse(containers.get(0));
    }
}
