package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import java.util.Objects;

/**
 * A rollout to run: {@code plan} (validated, with the digest-pinned image) on {@code target}, traffic moved as
 * {@code traffic} says. {@code holder} identifies the process for the lock and the ledger: a build URL, or
 * {@code cli:USER@HOST} plus something unique to the process (two shells of one user must not share it).
 */
public record RolloutRequest(DeploymentTarget target, RolloutPlan plan, String holder, Traffic traffic) {

    public RolloutRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(plan, "plan");
        if (holder == null || holder.isBlank()) {
            throw new InvalidInputException("holder", "is empty", "a build URL or cli:USER@HOST");
        }
        traffic = traffic == null ? Traffic.replicas() : traffic;
    }

    public static RolloutRequest of(DeploymentTarget target, RolloutPlan plan, String holder) {
        return new RolloutRequest(target, plan, holder, Traffic.replicas());
    }
}
