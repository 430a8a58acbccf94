package io.jenkins.plugins.immutabledeployment.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The part of the rollout the status is in. A successful rollout goes STEPS → PROMOTING_STABLE →
 * REMOVING_CANARY → VERIFYING_STABLE → DONE; an aborted one goes (STEPS or PROMOTING_STABLE) →
 * RESTORING_TRAFFIC → REMOVING_CANARY → DONE. See docs/canary.md for the diagram.
 */
public enum Stage {
    /** Executing the plan's steps; {@link Position#stepIndex()} says which. */
    @JsonProperty("Steps")
    STEPS,
    /** All steps done: the stable Deployment is being updated to the pinned image (surge first). */
    @JsonProperty("PromotingStable")
    PROMOTING_STABLE,
    /** All traffic to stable, the canary workload deleted. */
    @JsonProperty("RemovingCanary")
    REMOVING_CANARY,
    /** Checking that every stable pod's imageID carries the pinned digest. */
    @JsonProperty("VerifyingStable")
    VERIFYING_STABLE,
    /** After an abort: canary weight back to 0 before anything else. */
    @JsonProperty("RestoringTraffic")
    RESTORING_TRAFFIC,
    /** Finished; {@link RolloutStatus#finishedAt()} is set. */
    @JsonProperty("Done")
    DONE
}
