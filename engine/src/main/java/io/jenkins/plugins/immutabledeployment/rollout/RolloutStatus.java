package io.jenkins.plugins.immutabledeployment.rollout;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * All progress of one rollout, as stored in the status annotation on the stable Deployment so that any process
 * can resume it. Immutable; the {@link RolloutPlanner} derives each next status from the previous one.
 *
 * <ul>
 *   <li>{@code schemaVersion}: {@value #SCHEMA_VERSION}; readers refuse newer versions.
 *   <li>{@code image}, {@code planHash}: what is being rolled out; a plan with another hash restarts.
 *   <li>{@code startedBy}: a build URL or CLI user, for the ledger.
 *   <li>{@code position}: stage, step index, since when.
 *   <li>{@code weight}: the share of traffic the new image serves, as last confirmed by the traffic router.
 *   <li>{@code pause}, {@code abort}: present while paused / once stopped.
 *   <li>{@code analysisRuns}: every analysis run of this rollout, in step order.
 *   <li>{@code requests}: promote and abort commands handled, with their effect.
 *   <li>{@code phase}, {@code message}: derived by the planner for readers (UI, CLI, REST); never read back.
 *   <li>{@code takeover}: present when this rollout took the Deployment over from another holder's unfinished
 *       rollout whose lock had expired (that rollout is recorded in the ledger as aborted).
 * </ul>
 */
public record RolloutStatus(
        int schemaVersion,
        String image,
        String planHash,
        String startedBy,
        Instant startedAt,
        Instant finishedAt,
        RolloutPhase phase,
        Position position,
        int weight,
        PauseState pause,
        AbortState abort,
        List<AnalysisRun> analysisRuns,
        List<UserRequest> requests,
        String message,
        TakeOver takeover) {

    public static final int SCHEMA_VERSION = 1;
    /** How many handled commands the status keeps. */
    public static final int REQUEST_HISTORY = 20;

    public RolloutStatus {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(planHash, "planHash");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(position, "position");
        analysisRuns = analysisRuns == null ? List.of() : List.copyOf(analysisRuns);
        requests = requests == null ? List.of() : List.copyOf(requests);
    }

    /** A rollout of {@code plan} that starts now at step 0; {@code startedBy} is a build URL or CLI user. */
    public static RolloutStatus start(RolloutPlan plan, String startedBy, Instant now) {
        RolloutStatus status = new RolloutStatus(SCHEMA_VERSION, plan.image(), plan.hash(), startedBy, now, null, null,
                new Position(Stage.STEPS, 0, now), 0, null, null, List.of(), List.of(), "started", null);
        return status.withPhase(RolloutPhase.of(plan, status));
    }

    @JsonIgnore
    public boolean isFinished() {
        return finishedAt != null;
    }

    /** The run of the analysis step at {@code stepIndex}, or null if it has not started. */
    public AnalysisRun analysisRunAt(int stepIndex) {
        for (AnalysisRun run : analysisRuns) {
            if (run.stepIndex() == stepIndex) {
                return run;
            }
        }
        return null;
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a rollout status", e);
        }
    }

    /** Reads a status written by {@link #toJson()}; refuses a newer schema rather than misreading it. */
    public static RolloutStatus fromJson(String json) {
        RolloutStatus status;
        try {
            status = Json.mapper().readValue(json, RolloutStatus.class);
        } catch (JsonProcessingException e) {
            throw new DeploymentException("the stored rollout status is not readable: " + e.getOriginalMessage(), e);
        }
        if (status.schemaVersion() > SCHEMA_VERSION) {
            throw new DeploymentException("the stored rollout status has schemaVersion " + status.schemaVersion()
                    + " but this version reads up to " + SCHEMA_VERSION + "; use a newer version of the plugin or CLI");
        }
        return status;
    }

    public RolloutStatus withPosition(Position newPosition) {
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, finishedAt, phase, newPosition,
                weight, pause, abort, analysisRuns, requests, message, takeover);
    }

    public RolloutStatus withWeight(int newWeight) {
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, finishedAt, phase, position,
                newWeight, pause, abort, analysisRuns, requests, message, takeover);
    }

    public RolloutStatus withPause(PauseState newPause) {
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, finishedAt, phase, position,
                weight, newPause, abort, analysisRuns, requests, message, takeover);
    }

    public RolloutStatus withAbort(AbortState newAbort) {
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, finishedAt, phase, position,
                weight, pause, newAbort, analysisRuns, requests, message, takeover);
    }

    public RolloutStatus withFinishedAt(Instant newFinishedAt) {
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, newFinishedAt, phase, position,
                weight, pause, abort, analysisRuns, requests, message, takeover);
    }

    public RolloutStatus withPhase(RolloutPhase newPhase) {
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, finishedAt, newPhase, position,
                weight, pause, abort, analysisRuns, requests, message, takeover);
    }

    public RolloutStatus withMessage(String newMessage) {
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, finishedAt, phase, position,
                weight, pause, abort, analysisRuns, requests, newMessage, takeover);
    }

    /** This status with {@code run} replacing the run at the same step, or added. */
    public RolloutStatus withAnalysisRun(AnalysisRun run) {
        List<AnalysisRun> runs = new ArrayList<>();
        boolean replaced = false;
        for (AnalysisRun existing : analysisRuns) {
            if (existing.stepIndex() == run.stepIndex()) {
                runs.add(run);
                replaced = true;
            } else {
                runs.add(existing);
            }
        }
        if (!replaced) {
            runs.add(run);
        }
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, finishedAt, phase, position,
                weight, pause, abort, runs, requests, message, takeover);
    }

    public RolloutStatus withTakeover(TakeOver newTakeover) {
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, finishedAt, phase, position,
                weight, pause, abort, analysisRuns, requests, message, newTakeover);
    }

    public RolloutStatus withRequest(UserRequest request) {
        List<UserRequest> all = new ArrayList<>(requests);
        all.add(request);
        if (all.size() > REQUEST_HISTORY) {
            all = all.subList(all.size() - REQUEST_HISTORY, all.size());
        }
        return new RolloutStatus(schemaVersion, image, planHash, startedBy, startedAt, finishedAt, phase, position,
                weight, pause, abort, analysisRuns, all, message, takeover);
    }
}
