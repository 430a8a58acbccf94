package io.jenkins.plugins.immutabledeployment.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Blue/green's promise that the preview gets no traffic, checked before a rollout changes anything: the canary
 * pods copy every stable pod label, so a Service that selects the stable pods by those labels alone (e.g.
 * {@code app: api}) would send them a share of the traffic. Every Service of the namespace is looked at: none that
 * selects the stable pods may select the canary pods (the stable pod template is labelled
 * {@code immutable-deployment.jenkins.io/role: stable} and those Services select it), and at least one Service
 * must select the canary pods alone — the preview's address. See docs/kubernetes.md.
 */
public final class PreviewServices {

    private PreviewServices() {}

    /**
     * What a blue/green rollout's preview will be, as checked before it starts.
     *
     * @param services the names of the Services through which the preview is reachable (selecting the canary pods only)
     * @param replicas how many pods the preview runs: the stable's replica count then, at least 1
     */
    public record Preview(List<String> services, int replicas) {
        public Preview {
            services = List.copyOf(services);
        }
    }

    /**
     * @return the Services through which the preview is reachable and its size
     * @throws DeploymentException naming a Service that would send traffic to the preview, or saying that no
     *     Service selects the canary pods, with how to set it up
     */
    public static Preview verify(KubernetesClient client, DeploymentTarget target) {
        Deployment stable = StableDeployments.require(client, target);
        var podMetadata = stable.getSpec().getTemplate().getMetadata();
        Map<String, String> stablePod = podMetadata == null || podMetadata.getLabels() == null ? Map.of() : podMetadata.getLabels();
        Map<String, String> canaryPod = new HashMap<>(stablePod);
        canaryPod.put(CanaryDeployments.ROLE_LABEL, CanaryDeployments.ROLE_CANARY);
        List<Service> services = KubeCalls.call("list the Services of namespace " + target.namespace(),
                () -> client.services().inNamespace(target.namespace()).list().getItems());
        List<String> preview = new ArrayList<>();
        for (Service service : services) {
            Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
            boolean selectsStable = selects(selector, stablePod);
            boolean selectsCanary = selects(selector, canaryPod);
            String name = service.getMetadata().getName();
            if (selectsStable && selectsCanary) {
                throw new DeploymentException("Service " + target.namespace() + "/" + name + " selects the stable pods of " + target
                        + " by " + selector + ", which the canary pods carry too: it would send traffic to the blue/green"
                        + " preview; label the stable pod template " + CanaryDeployments.ROLE_LABEL + ": "
                        + GatewayApiRouter.STABLE_ROLE + " and add it to that Service's selector (see docs/kubernetes.md)");
            }
            if (selectsCanary) {
                preview.add(name);
            }
        }
        if (preview.isEmpty()) {
            throw new DeploymentException("no Service in namespace " + target.namespace() + " selects the canary pods of "
                    + target + " alone, so the blue/green preview could not be reached; add a Service selecting "
                    + CanaryDeployments.ROLE_LABEL + ": " + CanaryDeployments.ROLE_CANARY
                    + " beside the stable pod labels (see docs/kubernetes.md)");
        }
        return new Preview(preview, Math.max(StableDeployments.specReplicas(stable), 1));
    }

    /** A Service with an empty selector selects no pods (its endpoints are managed by hand). */
    private static boolean selects(Map<String, String> selector, Map<String, String> podLabels) {
        return selector != null && !selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet());
    }
}
