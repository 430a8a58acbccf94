package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * A rollout this process is driving. {@link #completion()} completes with the result once the rollout is done
 * (Healthy, Degraded or Aborted: traffic on stable and the canary gone), or exceptionally when the run had to
 * stop without finishing (the lock was taken over, the API server kept failing): the status then stays in the
 * cluster for {@link CanaryRollouts#resume}.
 */
public final class RolloutHandle {

    /** Null for a rollout that had finished before this process looked. */
    private final RolloutRun run;
    private final Clock clock;
    private final RolloutPlan plan;
    private final RolloutStatus finished;

    RolloutHandle(RolloutRun run, Clock clock) {
        this.run = run;
        this.clock = clock;
        this.plan = run.plan();
        this.finished = null;
    }

    private RolloutHandle(RolloutPlan plan, RolloutStatus finished, Clock clock) {
        this.run = null;
        this.clock = clock;
        this.plan = plan;
        this.finished = finished;
    }

    static RolloutHandle finished(RolloutPlan plan, RolloutStatus status, Clock clock) {
        return new RolloutHandle(plan, status, clock);
    }

    public CompletableFuture<RolloutResult> completion() {
        return run == null ? CompletableFuture.completedFuture(RolloutResult.of(plan, finished)) : run.completion();
    }

    /** Ends the current pause (manual, timed, or an inconclusive analysis); ignored (and recorded) when not paused. */
    public void promote(String by) {
        if (run != null) {
            run.command(UserCommand.promote(by, clock.instant()));
        }
    }

    /** Stops the rollout: traffic back to stable, canary removed, phase Aborted. Too late once stable is promoted. */
    public void abort(String by, String reason) {
        if (run != null) {
            run.command(UserCommand.abort(by, clock.instant(), reason));
        }
    }

    /**
     * The caller is going away (Jenkins build aborted, Ctrl-C): the rollout is aborted with cause Cancelled and
     * driven until traffic is on stable and the canary gone; wait on {@link #completion()} for that.
     */
    public void cancel(String reason) {
        if (run != null) {
            run.cancel(reason);
        }
    }

    /** Look at the cluster and the clock again now (e.g. after an injected clock was moved). */
    public void wake() {
        if (run != null) {
            run.wake();
        }
    }

    public RolloutStatus status() {
        return run == null ? finished : run.status();
    }

    public RolloutPlan plan() {
        return plan;
    }
}
