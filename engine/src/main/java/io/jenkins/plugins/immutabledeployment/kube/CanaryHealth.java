package io.jenkins.plugins.immutabledeployment.kube;

import java.util.List;
import io.jenkins.plugins.immutabledeployment.rollout.CanaryReadiness;
import java.util.stream.Collectors;

/**
 * The health of the canary's current pods (those of its current image; pods of an earlier canary and terminating
 * pods are not counted).
 *
 * @param desiredReplicas          the canary Deployment's replica count (0 when there is no canary)
 * @param readyReplicas            current pods with the Ready condition
 * @param problems                 failing pods: waiting in CrashLoopBackOff, ImagePullBackOff, ErrImagePull,
 *                                 CreateContainerConfigError and kin, any container restart, or a failed pod
 * @param progressDeadlineExceeded whether the Deployment controller reported ProgressDeadlineExceeded
 */
public record CanaryHealth(int desiredReplicas, int readyReplicas, List<PodProblem> problems, boolean progressDeadlineExceeded) {

    public CanaryHealth {
        problems = List.copyOf(problems);
    }

    /** Whether the canary must be aborted: a failing pod, or no progress within the deadline. */
    public boolean failed() {
        return !problems.isEmpty() || progressDeadlineExceeded;
    }

    /** Whether every desired canary pod is ready and none is failing. */
    public boolean ready() {
        return !failed() && readyReplicas >= desiredReplicas;
    }

    /** One line for people: the counts, or what failed (pod, container and reason). */
    public String summary() {
        if (!failed()) {
            return new CanaryReadiness(readyReplicas, desiredReplicas).toString();
        }
        String failures = problems.stream().map(PodProblem::toString).collect(Collectors.joining("; "));
        if (progressDeadlineExceeded) {
            failures = (failures.isEmpty() ? "" : failures + "; ") + "the canary made no progress within its progress deadline ("
                    + readyReplicas + " of " + desiredReplicas + " pods ready)";
        }
        return "canary failing: " + failures;
    }
}
