package io.jenkins.plugins.immutabledeployment.kube;

/**
 * Why one canary pod counts as failing.
 *
 * @param pod       the pod's name
 * @param container the container's name, or null when the pod as a whole failed
 * @param reason    the Kubernetes reason ({@code CrashLoopBackOff}, {@code ImagePullBackOff}, {@code ErrImagePull},
 *                  {@code CreateContainerConfigError}, …), or {@code Restarted} for a container that restarted
 * @param message   the detail Kubernetes gave, plus the restart count where there were restarts; may be empty
 */
public record PodProblem(String pod, String container, String reason, String message) {

    @Override
    public String toString() {
        return "pod " + pod + (container == null ? "" : ", container " + container) + ": " + reason
                + (message == null || message.isEmpty() ? "" : " (" + message + ")");
    }
}
