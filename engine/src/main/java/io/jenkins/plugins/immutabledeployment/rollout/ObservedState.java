package io.jenkins.plugins.immutabledeployment.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the runner observed just before asking the planner: facts from the cluster (through the Kubernetes
 * adapters), from people (commands), from the caller (cancellation) and from Prometheus (measurements taken).
 * Facts only, no judgement: the planner decides what they mean.
 *
 * @param canary the canary workload and its pods
 * @param weightInEffect the canary weight the traffic router has applied and that ready canary pods carry
 *     (replicas: the canary's ready replicas match the weight; gateway: the HTTPRoute weights are set and the
 *     canary pods are ready); empty when the router cannot say or has not converged
 * @param stable the stable Deployment, as far as promotion and the image check go
 * @param commands promote / abort commands seen (the planner ignores those it has handled already)
 * @param cancellation present when the caller is going away (Jenkins build aborted, Ctrl-C): the reason
 * @param measurements measurements taken since the last call, in answer to {@link Action.RunMeasurement}
 * @param runnerFailure present when the runner cannot go on safely (the Kubernetes API keeps failing or refuses,
 *     the rollout lock cannot be renewed): the reason; the rollout aborts to stable as a failure (Degraded)
 */
public record ObservedState(
        Canary canary,
        OptionalInt weightInEffect,
        Stable stable,
        List<UserCommand> commands,
        Optional<String> cancellation,
        List<MeasurementTaken> measurements,
        Optional<String> runnerFailure) {

    public ObservedState {
        Objects.requireNonNull(canary, "canary");
        Objects.requireNonNull(weightInEffect, "weightInEffect");
        Objects.requireNonNull(stable, "stable");
        commands = List.copyOf(commands);
        Objects.requireNonNull(cancellation, "cancellation");
        measurements = List.copyOf(measurements);
        Objects.requireNonNull(runnerFailure, "runnerFailure");
    }

    /** Facts without a runner failure. */
    public ObservedState(Canary canary, OptionalInt weightInEffect, Stable stable, List<UserCommand> commands,
            Optional<String> cancellation, List<MeasurementTaken> measurements) {
        this(canary, weightInEffect, stable, commands, cancellation, measurements, Optional.empty());
    }

    /** Nothing there yet: no canary, no weight in effect, stable untouched, no commands. */
    public static ObservedState initial() {
        return new ObservedState(Canary.ABSENT, OptionalInt.empty(), Stable.UNCHANGED, List.of(), Optional.empty(), List.of());
    }

    /**
     * The canary workload. {@code failure} is the first failing canary pod seen: CrashLoopBackOff,
     * ImagePullBackOff, ErrImagePull, CreateContainerConfigError, any restart, or a Deployment condition such as
     * ProgressDeadlineExceeded; any failure aborts the rollout while it is in its steps.
     */
    public record Canary(boolean present, int desiredReplicas, int readyReplicas, Optional<PodFailure> failure) {

        public static final Canary ABSENT = new Canary(false, 0, 0, Optional.empty());

        public Canary {
            Objects.requireNonNull(failure, "failure");
        }

        public static Canary running(int desiredReplicas, int readyReplicas) {
            return new Canary(true, desiredReplicas, readyReplicas, Optional.empty());
        }

        public Canary failing(PodFailure podFailure) {
            return new Canary(present, desiredReplicas, readyReplicas, Optional.of(podFailure));
        }
    }

    /**
     * The stable Deployment. {@code promoted}: its pod template has the pinned image and the rollout of it is
     * complete (observedGeneration caught up; updated, ready and available replicas equal the desired count).
     * {@code failure}: a failing pod of the new stable ReplicaSet during promotion. {@code imageCheck}: the answer
     * to {@link Action.VerifyStableImages}, absent until it was executed.
     */
    public record Stable(boolean promoted, Optional<PodFailure> failure, Optional<ImageCheck> imageCheck) {

        public static final Stable UNCHANGED = new Stable(false, Optional.empty(), Optional.empty());
        public static final Stable PROMOTED = new Stable(true, Optional.empty(), Optional.empty());

        public Stable {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(imageCheck, "imageCheck");
        }

        public Stable checked(ImageCheck check) {
            return new Stable(promoted, failure, Optional.of(check));
        }

        public Stable failing(PodFailure podFailure) {
            return new Stable(promoted, Optional.of(podFailure), imageCheck);
        }
    }

    /** A pod that is failing, with what Kubernetes says about it. {@code container} may be null for pod-level reasons. */
    public record PodFailure(String pod, String container, String reason, String message, int restarts) {

        public PodFailure {
            Objects.requireNonNull(pod, "pod");
            Objects.requireNonNull(reason, "reason");
        }

        /** E.g. {@code pod api-canary-7c9d-x2x container api: CrashLoopBackOff (3 restarts): back-off 10s}. */
        public String describe() {
            StringBuilder text = new StringBuilder("pod ").append(pod);
            if (container != null) {
                text.append(" container ").append(container);
            }
            text.append(": ").append(reason);
            if (restarts > 0) {
                text.append(" (").append(restarts).append(restarts == 1 ? " restart)" : " restarts)");
            }
            if (message != null && !message.isBlank()) {
                text.append(": ").append(message);
            }
            return text.toString();
        }
    }

    /**
     * The result of checking stable pods' image IDs against the pinned digest: one line per pod that does not
     * run it (e.g. {@code api-7d9f-abcde runs sha256:0123…}); empty when every pod does.
     */
    public record ImageCheck(List<String> mismatches) {

        public ImageCheck {
            mismatches = List.copyOf(mismatches);
        }

        public static ImageCheck passed() {
            return new ImageCheck(List.of());
        }

        public boolean ok() {
            return mismatches.isEmpty();
        }
    }

    public ObservedState withCanary(Canary newCanary) {
        return new ObservedState(newCanary, weightInEffect, stable, commands, cancellation, measurements, runnerFailure);
    }

    public ObservedState withWeightInEffect(int weight) {
        return new ObservedState(canary, OptionalInt.of(weight), stable, commands, cancellation, measurements, runnerFailure);
    }

    public ObservedState withStable(Stable newStable) {
        return new ObservedState(canary, weightInEffect, newStable, commands, cancellation, measurements, runnerFailure);
    }

    public ObservedState withCommand(UserCommand command) {
        List<UserCommand> all = new ArrayList<>(commands);
        all.add(command);
        return new ObservedState(canary, weightInEffect, stable, all, cancellation, measurements, runnerFailure);
    }

    public ObservedState cancelled(String reason) {
        return new ObservedState(canary, weightInEffect, stable, commands, Optional.of(reason), measurements, runnerFailure);
    }

    public ObservedState failedRunner(String reason) {
        return new ObservedState(canary, weightInEffect, stable, commands, cancellation, measurements, Optional.of(reason));
    }

    public ObservedState withMeasurement(MeasurementTaken taken) {
        List<MeasurementTaken> all = new ArrayList<>(measurements);
        all.add(taken);
        return new ObservedState(canary, weightInEffect, stable, commands, cancellation, all, runnerFailure);
    }

    /** The same facts without commands and measurements, which are delivered once. */
    public ObservedState withoutDeliveries() {
        return new ObservedState(canary, weightInEffect, stable, List.of(), cancellation, List.of(), runnerFailure);
    }
}
