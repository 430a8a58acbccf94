package io.jenkins.plugins.immutabledeployment.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * What the {@link RolloutPlanner} asks the runner (and through it the Kubernetes adapters) to do.
 *
 * <p>Contract: every action is idempotent and describes a desired state, not an increment. The planner
 * re-issues the actions of the stage it waits in on every call until it observes the effect, so the runner
 * may execute an action twice, or crash between executing and saving the status, without harm. Within one
 * {@link Decision} the list order is a safe execution order. The effect of an action is reported back in the
 * next {@link ObservedState}; the planner never assumes an action succeeded.
 */
public sealed interface Action
        permits Action.SetCanaryWeight, Action.RunMeasurement, Action.PromoteStable, Action.RemoveCanary,
                Action.VerifyStableImages, Action.AbortToStable, Action.RecordOutcome {

    /**
     * Make the canary run {@code image} and carry {@code weight} percent of the traffic (creating the canary
     * workload if needed). With {@code fullSize} (a blue/green plan) the canary runs the stable's full replica
     * count whatever the weight, so that at weight 0 it is a preview. Observed as done when
     * {@link ObservedState#weightInEffect()} equals {@code weight}.
     */
    record SetCanaryWeight(String image, int weight, boolean fullSize) implements Action {
        public SetCanaryWeight {
            Objects.requireNonNull(image, "image");
        }

        /** A canary sized by its weight. */
        public SetCanaryWeight(String image, int weight) {
            this(image, weight, false);
        }
    }

    /**
     * Take measurement number {@code index} (0-based, errors included) of the analysis run at step
     * {@code stepIndex} (see {@code AnalysisMeasurer}), then report it as a {@link MeasurementTaken} in the next
     * observation. Issued again while undelivered: the runner takes it at most once per (stepIndex, index).
     */
    record RunMeasurement(String analysis, int stepIndex, int index) implements Action {
        public RunMeasurement {
            Objects.requireNonNull(analysis, "analysis");
        }
    }

    /**
     * Set the stable Deployment's container image to {@code image} (digest-pinned) with a surge-first strategy.
     * Observed as done when {@link ObservedState.Stable#promoted()} is true.
     */
    record PromoteStable(String image) implements Action {
        public PromoteStable {
            Objects.requireNonNull(image, "image");
        }
    }

    /**
     * Send all traffic to stable, then delete the canary workload. Observed as done when
     * {@link ObservedState.Canary#present()} is false.
     */
    record RemoveCanary() implements Action {}

    /**
     * Check that every stable pod's {@code imageID} carries the digest of {@code image}; report the result as
     * {@link ObservedState.Stable#imageCheck()}.
     */
    record VerifyStableImages(String image) implements Action {
        public VerifyStableImages {
            Objects.requireNonNull(image, "image");
        }
    }

    /**
     * Stop now: canary weight 0, all traffic to stable, without waiting for anything. The canary is removed
     * afterwards ({@link RemoveCanary}). Observed as done when the weight in effect is 0 or the canary is gone.
     */
    record AbortToStable(String reason) implements Action {
        public AbortToStable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Write the rollout's outcome to the release ledger. Issued once, with the status that finishes the rollout;
     * should the runner repeat it (a crash before the status was saved), {@code startedAt} + {@code image}
     * identify the entry, so a repeat can be recognised.
     */
    record RecordOutcome(String image, RolloutPhase outcome, String reason, String startedBy, Instant startedAt,
            Instant finishedAt) implements Action {
        public RecordOutcome {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(finishedAt, "finishedAt");
        }
    }
}
