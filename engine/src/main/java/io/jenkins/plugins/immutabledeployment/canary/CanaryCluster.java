package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The cluster as one rollout sees it: what the runner observes before each planner call and the actions it
 * carries out. Every method is idempotent and never waits for the cluster to converge; {@link #watch} reports
 * changes so the runner can look again.
 */
interface CanaryCluster {

    /**
     * The canary, the weight in effect (for {@code requestedWeight}, the weight last asked for, with the canary
     * at full size when {@code fullSize}; null when none was asked for yet in this process) and the stable
     * Deployment, plus the promote / abort commands other processes left on it.
     */
    Observation observe(Integer requestedWeight, boolean fullSize);

    /**
     * Creates or updates the canary with {@code image} and moves traffic towards {@code weight} (0: all to stable).
     * With {@code fullSize} (blue/green) the canary runs the stable's replica count whatever the weight.
     *
     * @return whether the weight is in effect after the call, as {@link #observe} would report it; false when there
     *     was no canary to move (the call changed nothing)
     */
    boolean setCanaryWeight(PinnedImage image, int weight, boolean fullSize);

    /** Sets the stable Deployment's image, surge first. */
    void promoteStable(PinnedImage image);

    /** All traffic to stable, then the canary deleted. */
    void removeCanary();

    /** Checks every stable pod's imageID against the digest. */
    ObservedState.ImageCheck verifyStableImages(PinnedImage image);

    /**
     * The status annotation (JSON) of the stable Deployment as the API server has it now, not as a cache does, or null
     * when there is none: asked before a rollout stops because its status looked removed or replaced.
     */
    String storedStatusNow();

    /** Calls {@code onChange} (quickly, never blocking) whenever the stable or canary Deployment or their pods change. */
    AutoCloseable watch(Runnable onChange);

    /**
     * @param storedStatus the status annotation as stored now (JSON), or null when there is none: a rollback may
     *     have removed it, and then this rollout must not act any more
     */
    record Observation(ObservedState.Canary canary, OptionalInt weightInEffect, ObservedState.Stable stable,
            List<UserCommand> commands, String storedStatus) {

        public Observation {
            Objects.requireNonNull(canary, "canary");
            Objects.requireNonNull(weightInEffect, "weightInEffect");
            Objects.requireNonNull(stable, "stable");
            commands = List.copyOf(commands);
        }
    }
}
