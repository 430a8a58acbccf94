package io.jenkins.plugins.immutabledeployment.testing.kube;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/**
 * Makes a running pod crash as a kubelet reports it, through the API: the container restarted once and waits in
 * CrashLoopBackOff, its last termination finished at the time returned (the event's own timestamp, to the
 * microsecond), the pod no longer ready. The fake controller makes pods whose status is final at creation; this is
 * how a test makes one fail later, at a moment of its choosing.
 */
public final class PodCrash {

    private PodCrash() {}

    /** Crashes container {@code container} of {@code pod}; returns when the kubelet would have stamped it. */
    public static Instant crashLoop(KubernetesClient client, Pod pod, String container) {
        Instant at = Instant.now();
        for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
            if (status.getName().equals(container)) {
                status.setRestartCount(1);
                status.setReady(false);
                status.setStarted(false);
                status.setState(new ContainerStateBuilder().withNewWaiting()
                        .withReason("CrashLoopBackOff").withMessage("back-off 10s restarting failed container=" + container).endWaiting().build());
                status.setLastState(new ContainerStateBuilder().withNewTerminated()
                        .withExitCode(1).withReason("Error").withFinishedAt(at.toString()).endTerminated().build());
            }
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if (condition.getType().equals("Ready") || condition.getType().equals("ContainersReady")) {
                condition.setStatus("False");
            }
        }
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
        return at;
    }
}
