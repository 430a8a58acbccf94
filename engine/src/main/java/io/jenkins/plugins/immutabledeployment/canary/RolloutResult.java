package io.jenkins.plugins.immutabledeployment.canary;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;

/**
 * How a rollout ended: {@code phase} Healthy (stable runs the digest), Degraded (a failure stopped it) or Aborted
 * (a person or the caller stopped it); {@code reason} says why, {@code steps} how many steps the plan had and
 * {@code weight} the canary weight last in effect. The full final status is kept for callers ({@link #status()}).
 */
@JsonPropertyOrder({"phase", "image", "digest", "steps", "weight", "reason"})
public record RolloutResult(RolloutPhase phase, String image, String digest, int steps, int weight, String reason,
        @JsonIgnore RolloutStatus status) {

    static RolloutResult of(RolloutPlan plan, RolloutStatus status) {
        String reason = status.abort() != null ? status.abort().reason() : status.message();
        return new RolloutResult(status.phase(), plan.image(), plan.digest().toString(), plan.steps().size(),
                status.weight(), reason, status);
    }

    @JsonIgnore
    public boolean healthy() {
        return phase == RolloutPhase.HEALTHY;
    }
}
