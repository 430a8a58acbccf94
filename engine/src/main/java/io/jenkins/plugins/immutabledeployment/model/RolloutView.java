package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One progressive rollout of the image to a Kubernetes Deployment, as the build page shows it.
 *
 * @param id unique within the document; actions refer to it as {@code rolloutId}
 * @param deployment the stable Deployment's name
 * @param namespace its namespace
 * @param cluster the cluster name as configured, or {@code null} for the default
 * @param image the digest-pinned image rolled out, or {@code null} when not known
 * @param imageId the id of the document's image rolled out (the one with {@code image}'s digest), or {@code null}
 *     when it is not one this build pushed; the build's facts leave it out, {@link ModelAssembler} fills it
 * @param strategy canary (the default, left out of the JSON) or blue/green, whose preview and switch steps have a role
 * @param phase the rollout's phase
 * @param running whether it may still change (the UI keeps polling while any rollout runs)
 * @param currentStepIndex the index in {@code steps} of the step in progress, or {@code null} when none is
 * @param currentWeight the canary's current share of traffic in percent ({@code 0} after an abort)
 * @param steps the plan with each step's state, in order
 * @param analyses the analysis runs with their measurements
 * @param message a one-line status for people, or {@code null}
 * @param abortReason why it was aborted (a failed gate, a crash-looping canary, a person), or {@code null}
 * @param startedAt when it started, or {@code null}
 * @param finishedAt when it ended, or {@code null} while running
 */
public record RolloutView(
        String id,
        String deployment,
        String namespace,
        String cluster,
        String image,
        String imageId,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = RolloutStrategy.DefaultFilter.class)
        RolloutStrategy strategy,
        RolloutPhase phase,
        boolean running,
        Integer currentStepIndex,
        Integer currentWeight,
        List<StepView> steps,
        List<AnalysisRunView> analyses,
        String message,
        String abortReason,
        Instant startedAt,
        Instant finishedAt) {

    public RolloutView {
        ModelChecks.required(id, "rollouts.id");
        ModelChecks.required(deployment, "rollouts.deployment");
        ModelChecks.required(namespace, "rollouts.namespace");
        ModelChecks.required(phase, "rollouts.phase", "one of Progressing, Paused, Healthy, Degraded, Aborted");
        ModelChecks.weight(currentWeight, "rollouts.currentWeight");
        strategy = strategy == null ? RolloutStrategy.CANARY : strategy;
        steps = ModelChecks.list(steps);
        analyses = ModelChecks.list(analyses);
        if (strategy == RolloutStrategy.CANARY) {
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).role() != null) {
                    throw new InvalidInputException("rollouts.steps[" + i + "].role", "is only for a blue/green rollout",
                            "strategy: blueGreen on the rollout, or no role on its steps");
                }
            }
        }
    }

    /** This rollout naming the document's image it rolled out ({@code null}: none of them). */
    public RolloutView withImageId(String newImageId) {
        return new RolloutView(id, deployment, namespace, cluster, image, newImageId, strategy, phase, running,
                currentStepIndex, currentWeight, steps, analyses, message, abortReason, startedAt, finishedAt);
    }

    @JsonIgnore
    public boolean isBlueGreen() {
        return strategy == RolloutStrategy.BLUE_GREEN;
    }

    public static Builder builder(String id, String deployment, String namespace) {
        return new Builder(id, deployment, namespace);
    }

    /** Starts as a running, progressing rollout with no steps. */
    public static final class Builder {
        private final String id;
        private final String deployment;
        private final String namespace;
        private String cluster;
        private String image;
        private RolloutStrategy strategy = RolloutStrategy.CANARY;
        private RolloutPhase phase = RolloutPhase.PROGRESSING;
        private boolean running = true;
        private Integer currentStepIndex;
        private Integer currentWeight;
        private final List<StepView> steps = new ArrayList<>();
        private final List<AnalysisRunView> analyses = new ArrayList<>();
        private String message;
        private String abortReason;
        private Instant startedAt;
        private Instant finishedAt;

        private Builder(String id, String deployment, String namespace) {
            this.id = id;
            this.deployment = deployment;
            this.namespace = namespace;
        }

        public Builder cluster(String cluster) {
            this.cluster = cluster;
            return this;
        }

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public Builder strategy(RolloutStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /** The phase; {@code running} follows from it (Healthy and Aborted are final) unless set after. */
        public Builder phase(RolloutPhase phase) {
            this.phase = phase;
            this.running = phase != RolloutPhase.HEALTHY && phase != RolloutPhase.ABORTED;
            return this;
        }

        public Builder running(boolean running) {
            this.running = running;
            return this;
        }

        public Builder at(Integer stepIndex, Integer weight) {
            this.currentStepIndex = stepIndex;
            this.currentWeight = weight;
            return this;
        }

        public Builder step(StepView step) {
            steps.add(step);
            return this;
        }

        public Builder analysis(AnalysisRunView run) {
            analyses.add(run);
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder aborted(String reason) {
            phase(RolloutPhase.ABORTED);
            this.abortReason = reason;
            return this;
        }

        public Builder started(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder finished(Instant finishedAt) {
            this.finishedAt = finishedAt;
            return this;
        }

        public RolloutView build() {
            return new RolloutView(id, deployment, namespace, cluster, image, null, strategy, phase, running,
                    currentStepIndex, currentWeight, steps, analyses, message, abortReason, startedAt, finishedAt);
        }
    }
}
