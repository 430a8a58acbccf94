package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;

/**
 * Moves traffic between the stable Deployment and its canary. Implementations never block and never wait: a call
 * makes the changes that can be made now and reports how far the cluster is from the requested weight; callers
 * call again when something changed (e.g. from a {@link PodHealth} callback) until the state is settled. Calls are
 * idempotent and write nothing when the cluster already matches.
 *
 * <p>Weight 0 means all traffic to stable (the first step of an abort, before the canary is deleted).
 */
public interface TrafficRouter {

    /**
     * Moves the cluster towards sending {@code percent} of the traffic to the canary. With {@code fullSize}
     * (blue/green) the canary runs the stable's full replica count whatever the weight: at 0 it is a preview.
     */
    TrafficState setWeight(DeploymentTarget target, int percent, boolean fullSize);

    /** Reports, without changing anything, how far the cluster is from {@link #setWeight(DeploymentTarget, int, boolean)}. */
    TrafficState observe(DeploymentTarget target, int percent, boolean fullSize);

    /** Moves the cluster towards sending {@code percent} of the traffic to a canary sized by that weight. */
    default TrafficState setWeight(DeploymentTarget target, int percent) {
        return setWeight(target, percent, false);
    }

    /** Reports how far the cluster is from sending {@code percent} to a canary sized by that weight. */
    default TrafficState observe(DeploymentTarget target, int percent) {
        return observe(target, percent, false);
    }

    static void requirePercent(int percent) {
        if (percent < 0 || percent > 100) {
            throw new InvalidInputException("weight", percent + " is outside 0–100", "a percentage from 0 to 100");
        }
    }
}
