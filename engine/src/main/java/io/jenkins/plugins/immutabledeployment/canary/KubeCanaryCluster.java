package io.jenkins.plugins.immutabledeployment.canary;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jenkins.plugins.immutabledeployment.kube.CanaryDeployments;
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
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** {@link CanaryCluster} on a real API server, through the kube package's adapters. */
final class KubeCanaryCluster implements CanaryCluster {

    private final KubernetesClient client;
    private final DeploymentTarget target;
    private final TrafficRouter router;
    private final CanaryDeployments canaries;
    private final PodHealth health;
    private final StablePromoter promoter;
    private final PinnedImage pinned;

    KubeCanaryCluster(KubernetesClient client, DeploymentTarget target, PinnedImage image, TrafficRouter router) {
        this.client = client;
        this.pinned = image;
        this.target = target;
        this.router = router;
        this.canaries = new CanaryDeployments(client);
        this.health = new PodHealth(client);
        this.promoter = new StablePromoter(client);
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
        Map<String, String> annotations = stable.getMetadata().getAnnotations();
        String stored = annotations == null ? null : annotations.get(RolloutStatusStore.ANNOTATION);
        return new Observation(canaryState, weight, stableState(stable), RolloutCommands.read(stable), stored);
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
    public void setCanaryWeight(PinnedImage image, int weight, boolean fullSize) {
        if (weight > 0 || fullSize) {
            canaries.ensure(target, image);
            router.setWeight(target, weight, fullSize);
        } else if (canaries.find(target).isPresent()) {
            router.setWeight(target, 0);
        }
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
        Deployment stable = stable();
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata object) {
                onChange.run();
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                onChange.run();
            }

            @Override
            public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                onChange.run();
            }
        };
        Map<String, String> podLabels = new HashMap<>(Optional.ofNullable(stable.getSpec().getSelector().getMatchLabels()).orElse(Map.of()));
        // A stable selector may say role: stable (blue/green, Gateway API) where the canary pods say role: canary: watch both.
        podLabels.remove(CanaryDeployments.ROLE_LABEL);
        var deployments = client.apps().deployments().inNamespace(target.namespace());
        List<SharedIndexInformer<?>> informers = new ArrayList<>();
        informers.add(deployments.withName(target.deployment()).inform(handler));
        informers.add(deployments.withName(target.canaryName()).inform(handler));
        informers.add(podLabels.isEmpty()
                ? client.pods().inNamespace(target.namespace()).inform(handler)
                : client.pods().inNamespace(target.namespace()).withLabels(podLabels).inform(handler));
        return () -> informers.forEach(SharedIndexInformer::close);
    }

    private Deployment stable() {
        Deployment stable = client.apps().deployments().inNamespace(target.namespace()).withName(target.deployment()).get();
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
