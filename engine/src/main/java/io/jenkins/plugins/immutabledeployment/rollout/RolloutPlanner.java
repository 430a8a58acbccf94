package io.jenkins.plugins.immutabledeployment.rollout;

import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.ImageCheck;
import io.jenkins.plugins.immutabledeployment.rollout.ObservedState.PodFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The canary state machine, as a pure function: (plan, status, observed facts, now) → (actions, new status,
 * when to look again). It reads no clock, does no I/O and keeps no state, so a rollout of hours is tested in
 * milliseconds and any process holding the saved status can carry on.
 *
 * <p>One call handles, in order: a finished status (nothing to do); a changed plan (restart from step 0);
 * promote / abort commands not yet handled; cancellation; then the current stage, moving through as many steps
 * and stages as the observed facts allow and stopping where it has to wait. Only the stage it waits in issues
 * its (idempotent) actions; passing through a stage issues nothing, except {@link Action.RecordOutcome} when
 * the rollout finishes. docs/canary.md describes the states and transitions.
 */
public final class RolloutPlanner {

    /** How a status message ends while the rollout waits for a person's promote or abort. */
    public static final String AWAITING_DECISION = "; waiting for promote or abort";

    public Decision plan(RolloutPlan plan, RolloutStatus status, ObservedState observed, Instant now) {
        if (status.isFinished()) {
            return new Decision(List.of(), status, Optional.empty());
        }
        RolloutStatus current = status.planHash().equals(plan.hash()) ? status : restart(plan, status, now);
        current = handleCommands(plan, current, observed, now);
        current = handleCancellation(current, observed, now);
        List<Action> actions = new ArrayList<>();
        int limit = plan.steps().size() + Stage.values().length + 1;
        for (int turns = 0; ; turns++) {
            if (turns > limit) {
                throw new IllegalStateException("the planner did not settle at " + current.position());
            }
            Turn turn = turn(plan, current, observed, now);
            actions.addAll(turn.actions());
            current = turn.status();
            if (turn.waiting()) {
                current = current.withPhase(RolloutPhase.of(plan, current));
                return new Decision(actions, current, Optional.ofNullable(turn.wakeAt()));
            }
        }
    }

    /** The result of handling the current stage once: moved on (call again) or waiting. */
    private record Turn(RolloutStatus status, List<Action> actions, boolean waiting, Instant wakeAt) {

        static Turn moved(RolloutStatus status, Action... actions) {
            return new Turn(status, List.of(actions), false, null);
        }

        static Turn waiting(RolloutStatus status, Instant wakeAt, Action... actions) {
            return new Turn(status, List.of(actions), true, wakeAt);
        }
    }

    private Turn turn(RolloutPlan plan, RolloutStatus status, ObservedState observed, Instant now) {
        return switch (status.position().stage()) {
            case STEPS -> stepTurn(plan, status, observed, now);
            case PROMOTING_STABLE -> promotingTurn(plan, status, observed, now);
            case REMOVING_CANARY -> removingTurn(plan, status, observed, now);
            case VERIFYING_STABLE -> verifyingTurn(plan, status, observed, now);
            case RESTORING_TRAFFIC -> restoringTurn(status, observed, now);
            case DONE -> Turn.waiting(status, null);
        };
    }

    // ---- the plan's steps ----

    private Turn stepTurn(RolloutPlan plan, RolloutStatus status, ObservedState observed, Instant now) {
        int index = status.position().stepIndex();
        if (index >= plan.steps().size()) {
            return Turn.moved(at(status, Stage.PROMOTING_STABLE, plan.steps().size(), now));
        }
        Optional<PodFailure> failure = observed.canary().failure();
        if (failure.isPresent()) {
            return Turn.moved(abort(status, AbortState.Cause.FAILED, "canary " + failure.get().describe(), null, now));
        }
        Step step = plan.steps().get(index);
        int desired = step instanceof Step.SetWeight setWeight ? setWeight.percent() : plan.weightBefore(index);
        Action setWeight = new Action.SetCanaryWeight(plan.image(), desired, plan.blueGreen());
        Instant since = status.position().since();
        if (step instanceof Step.SetWeight) {
            if (observed.weightInEffect().isPresent() && observed.weightInEffect().getAsInt() == desired) {
                return Turn.moved(nextStep(plan, status.withWeight(desired), now));
            }
            Instant deadline = since.plus(plan.progressDeadline());
            String ready = new CanaryReadiness(observed.canary().readyReplicas(), observed.canary().desiredReplicas()).toString();
            String goal = plan.isPreview(index) ? "the preview (the canary at the stable's replica count, 0% of the traffic)"
                    : plan.isSwitch(index) ? "the switch of all traffic to the canary" : "weight " + desired;
            if (!now.isBefore(deadline)) {
                return Turn.moved(abort(status, AbortState.Cause.FAILED, "canary did not reach " + goal + " within "
                        + Durations.format(plan.progressDeadline()) + " (" + ready + ")", null, now));
            }
            String doing = plan.isPreview(index) ? "starting the preview" : plan.isSwitch(index) ? "switching all traffic to the new version"
                    : "setting canary weight " + desired;
            return Turn.waiting(status.withMessage("steps[" + index + "]: " + doing + " (" + ready + ")"), deadline, setWeight);
        }
        String at = plan.blueGreen() ? "with the preview at 0% traffic" : "at weight " + desired;
        if (step instanceof Step.Pause pause) {
            if (pause.isManual()) {
                PauseState state = status.pause() != null ? status.pause() : new PauseState(PauseState.Reason.MANUAL, since, null);
                return Turn.waiting(status.withPause(state)
                        .withMessage("steps[" + index + "]: paused " + at + AWAITING_DECISION), null, setWeight);
            }
            Instant until = since.plus(pause.duration());
            if (!now.isBefore(until)) {
                return Turn.moved(nextStep(plan, status, now));
            }
            return Turn.waiting(status.withPause(new PauseState(PauseState.Reason.DURATION, since, until))
                    .withMessage("steps[" + index + "]: paused " + at + " until " + until), until, setWeight);
        }
        return analysisTurn(plan, status, (Step.Analysis) step, setWeight, observed, now);
    }

    private Turn analysisTurn(RolloutPlan plan, RolloutStatus status, Step.Analysis step, Action setWeight,
            ObservedState observed, Instant now) {
        int index = status.position().stepIndex();
        AnalysisSpec spec = plan.analysis(step.name());
        AnalysisRun run = status.analysisRunAt(index);
        if (run == null || run.startedAt().isBefore(status.position().since())) {
            run = AnalysisRun.start(step.name(), index, status.position().since());
        }
        if (run.phase() == AnalysisPhase.RUNNING) {
            run = AnalysisVerdict.assess(spec, withDelivered(run, observed));
        }
        RolloutStatus withRun = status.withAnalysisRun(run);
        String label = "analysis '" + step.name() + "' ";
        switch (run.phase()) {
            case SUCCESSFUL:
                return Turn.moved(nextStep(plan, withRun, now));
            case FAILED:
            case ERROR:
                return Turn.moved(abort(withRun, AbortState.Cause.FAILED, label + run.message(), null, now));
            case INCONCLUSIVE:
                PauseState pause = status.pause() != null ? status.pause() : new PauseState(PauseState.Reason.INCONCLUSIVE, now, null);
                return Turn.waiting(withRun.withPause(pause).withMessage("steps[" + index + "]: " + label + run.message()
                        + AWAITING_DECISION), null, setWeight);
            case RUNNING:
                Instant due = run.taken() == 0 ? run.startedAt().plus(spec.initialDelay()) : spec.nextAfter(run.lastTakenAt());
                RolloutStatus waiting = withRun.withMessage("steps[" + index + "]: " + label + run.message());
                if (now.isBefore(due)) {
                    return Turn.waiting(waiting, due, setWeight);
                }
                // Look again after the query's timeout: if the measurement was lost, it is asked for again.
                return Turn.waiting(waiting, now.plus(spec.timeout()), setWeight,
                        new Action.RunMeasurement(step.name(), index, run.taken()));
            default:
                throw new IllegalStateException("analysis run at steps[" + index + "] is " + run.phase());
        }
    }

    /** The run with the measurements delivered for it, in order; duplicates, gaps and strays are ignored. */
    private static AnalysisRun withDelivered(AnalysisRun run, ObservedState observed) {
        List<MeasurementTaken> delivered = new ArrayList<>(observed.measurements());
        delivered.sort(Comparator.comparingInt(m -> m.request().index()));
        AnalysisRun result = run;
        for (MeasurementTaken taken : delivered) {
            Action.RunMeasurement request = taken.request();
            if (request.analysis().equals(run.name()) && request.stepIndex() == run.stepIndex()
                    && request.index() == result.taken() && !taken.measurement().takenAt().isBefore(run.startedAt())) {
                result = result.with(taken.measurement());
            }
        }
        return result;
    }

    private static RolloutStatus nextStep(RolloutPlan plan, RolloutStatus status, Instant now) {
        int next = status.position().stepIndex() + 1;
        RolloutStatus unpaused = status.withPause(null);
        return next < plan.steps().size()
                ? at(unpaused, Stage.STEPS, next, now)
                : at(unpaused, Stage.PROMOTING_STABLE, plan.steps().size(), now);
    }

    // ---- after the steps: promotion, canary removal, verification ----

    private Turn promotingTurn(RolloutPlan plan, RolloutStatus status, ObservedState observed, Instant now) {
        String stableChanged = "; the stable Deployment was already updated to " + plan.image()
                + ": use rollbackTo to return to the previous release";
        Optional<PodFailure> failure = observed.stable().failure();
        if (failure.isPresent()) {
            return Turn.moved(abort(status, AbortState.Cause.FAILED, "stable " + failure.get().describe() + stableChanged, null, now));
        }
        if (observed.stable().promoted()) {
            return Turn.moved(at(status, Stage.REMOVING_CANARY, status.position().stepIndex(), now));
        }
        Instant deadline = status.position().since().plus(plan.progressDeadline());
        if (!now.isBefore(deadline)) {
            return Turn.moved(abort(status, AbortState.Cause.FAILED, "the stable Deployment did not finish updating within "
                    + Durations.format(plan.progressDeadline()) + stableChanged, null, now));
        }
        return Turn.waiting(status.withMessage("promoting stable to " + plan.image()), deadline, new Action.PromoteStable(plan.image()));
    }

    private Turn removingTurn(RolloutPlan plan, RolloutStatus status, ObservedState observed, Instant now) {
        if (observed.canary().present()) {
            return Turn.waiting(status.withMessage("removing the canary"), null, new Action.RemoveCanary());
        }
        if (status.abort() != null) {
            return finish(plan, status, now);
        }
        return Turn.moved(at(status, Stage.VERIFYING_STABLE, status.position().stepIndex(), now));
    }

    private Turn verifyingTurn(RolloutPlan plan, RolloutStatus status, ObservedState observed, Instant now) {
        Optional<ImageCheck> check = observed.stable().imageCheck();
        if (check.isPresent() && check.get().ok()) {
            return finish(plan, status, now);
        }
        if (check.isPresent()) {
            String reason = "image drift: stable pods do not run " + plan.digest() + ": " + String.join("; ", check.get().mismatches());
            return finish(plan, stopped(status, AbortState.Cause.FAILED, reason, null, now), now);
        }
        Instant deadline = status.position().since().plus(plan.progressDeadline());
        if (!now.isBefore(deadline)) {
            String reason = "the stable pods' image IDs could not be verified within " + Durations.format(plan.progressDeadline());
            return finish(plan, stopped(status, AbortState.Cause.FAILED, reason, null, now), now);
        }
        return Turn.waiting(status.withMessage("verifying that every stable pod runs " + plan.digest()), deadline,
                new Action.VerifyStableImages(plan.image()));
    }

    private static Turn finish(RolloutPlan plan, RolloutStatus status, Instant now) {
        RolloutStatus done = at(status, Stage.DONE, status.position().stepIndex(), now).withPause(null).withFinishedAt(now);
        String reason = done.abort() != null ? done.abort().reason() : "stable runs " + plan.image() + " on every pod";
        done = done.withMessage(reason);
        RolloutPhase outcome = RolloutPhase.of(plan, done);
        return Turn.moved(done.withPhase(outcome),
                new Action.RecordOutcome(plan.image(), outcome, reason, done.startedBy(), done.startedAt(), now));
    }

    // ---- stopping ----

    private Turn restoringTurn(RolloutStatus status, ObservedState observed, Instant now) {
        boolean atZero = observed.weightInEffect().isPresent() && observed.weightInEffect().getAsInt() == 0;
        if (atZero || !observed.canary().present()) {
            return Turn.moved(at(status.withWeight(0), Stage.REMOVING_CANARY, status.position().stepIndex(), now));
        }
        return Turn.waiting(status.withMessage("returning all traffic to stable: " + status.abort().reason()), null,
                new Action.AbortToStable(status.abort().reason()));
    }

    /** Stops the rollout and sends it to restore traffic to stable. */
    private static RolloutStatus abort(RolloutStatus status, AbortState.Cause cause, String reason, String by, Instant now) {
        RolloutStatus stopped = stopped(status, cause, reason, by, now);
        return at(stopped, Stage.RESTORING_TRAFFIC, status.position().stepIndex(), now);
    }

    /** Records why the rollout stopped and ends its pause and running analysis; the position is the caller's. */
    private static RolloutStatus stopped(RolloutStatus status, AbortState.Cause cause, String reason, String by, Instant now) {
        RolloutStatus stopped = status.withAbort(new AbortState(cause, reason, now, by)).withPause(null).withMessage(reason);
        AnalysisRun run = status.analysisRunAt(status.position().stepIndex());
        if (run != null && run.phase() == AnalysisPhase.RUNNING) {
            stopped = stopped.withAnalysisRun(run.withPhase(AnalysisPhase.TERMINATED, "stopped: the rollout was aborted"));
        }
        return stopped;
    }

    private RolloutStatus handleCancellation(RolloutStatus status, ObservedState observed, Instant now) {
        boolean stoppable = status.abort() == null && status.position().stage() == Stage.STEPS;
        // Once stable is being promoted there is no going back by abort: the promotion finishes, or fails at its deadline.
        if (stoppable && observed.runnerFailure().isPresent()) {
            return abort(status, AbortState.Cause.FAILED, observed.runnerFailure().get(), null, now);
        }
        if (stoppable && observed.cancellation().isPresent()) {
            return abort(status, AbortState.Cause.CANCELLED, "cancelled: " + observed.cancellation().get(), null, now);
        }
        return status;
    }

    // ---- commands ----

    private RolloutStatus handleCommands(RolloutPlan plan, RolloutStatus status, ObservedState observed, Instant now) {
        List<UserCommand> fresh = new ArrayList<>();
        for (UserCommand command : observed.commands()) {
            if (!command.at().isBefore(status.startedAt()) && !handled(status, command)) {
                fresh.add(command);
            }
        }
        fresh.sort(Comparator.comparing(UserCommand::at));
        RolloutStatus current = status;
        for (UserCommand command : fresh) {
            current = command.kind() == UserCommand.Kind.ABORT ? abortCommand(current, command, now)
                    : promoteCommand(plan, current, command, now);
        }
        return current;
    }

    private static boolean handled(RolloutStatus status, UserCommand command) {
        return status.requests().stream().anyMatch(r -> r.kind() == command.kind() && !r.at().isBefore(command.at()));
    }

    private static RolloutStatus abortCommand(RolloutStatus status, UserCommand command, Instant now) {
        int index = status.position().stepIndex();
        if (status.abort() != null) {
            return status.withRequest(request(command, index, "ignored: the rollout is already stopping"));
        }
        if (status.position().stage() != Stage.STEPS) {
            return status.withRequest(request(command, index,
                    "ignored: promotion to stable has begun; use rollbackTo to return to the previous release"));
        }
        String reason = command.reason() != null && !command.reason().isBlank() ? "aborted by " + who(command) + ": " + command.reason()
                : "aborted by " + who(command);
        return abort(status, AbortState.Cause.REQUESTED, reason, command.by(), now)
                .withRequest(request(command, index, "aborted at steps[" + index + "]"));
    }

    private static RolloutStatus promoteCommand(RolloutPlan plan, RolloutStatus status, UserCommand command, Instant now) {
        int index = status.position().stepIndex();
        if (status.abort() != null || status.position().stage() != Stage.STEPS || status.pause() == null) {
            return status.withRequest(request(command, index, "ignored: the rollout was not paused"));
        }
        String effect = "resumed from a " + switch (status.pause().reason()) {
            case MANUAL -> "manual pause";
            case DURATION -> "timed pause";
            case INCONCLUSIVE -> "pause for an inconclusive analysis";
        } + " at steps[" + index + "]";
        return nextStep(plan, status, now).withRequest(request(command, index, effect));
    }

    private static UserRequest request(UserCommand command, int stepIndex, String effect) {
        return new UserRequest(command.kind(), command.by(), command.at(), stepIndex, effect);
    }

    private static String who(UserCommand command) {
        return command.by() == null || command.by().isBlank() ? "a user" : command.by();
    }

    // ---- helpers ----

    private static RolloutStatus restart(RolloutPlan plan, RolloutStatus previous, Instant now) {
        return RolloutStatus.start(plan, previous.startedBy(), now)
                .withWeight(previous.weight())
                .withMessage("the plan changed: restarted from step 0");
    }

    private static RolloutStatus at(RolloutStatus status, Stage stage, int stepIndex, Instant now) {
        return status.withPosition(new Position(stage, stepIndex, now));
    }
}
