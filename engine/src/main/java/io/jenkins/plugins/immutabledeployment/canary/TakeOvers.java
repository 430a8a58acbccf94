package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.LockHolder;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.rollout.AbortState;
import io.jenkins.plugins.immutabledeployment.rollout.Position;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;
import io.jenkins.plugins.immutabledeployment.rollout.Stage;
import io.jenkins.plugins.immutabledeployment.rollout.TakeOver;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * A rollout whose holder went away (its process died, its lock expired) and that another holder — another Jenkins,
 * another build, the command line — takes over: the abandoned rollout is recorded in the ledger as aborted, naming
 * who took it over and when, and the new rollout starts from step 0 as its own holder's. When the holder that went
 * away comes back (a Jenkins build resuming after its controller returned), it learns what became of its rollout
 * from the status of the rollout that replaced it, or from the ledger.
 */
final class TakeOvers {

    private final ReleaseLedger ledger;
    private final Clock clock;

    TakeOvers(ReleaseLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Records {@code abandoned} (another holder's unfinished rollout) in the ledger as aborted, taken over by
     * {@code holder} now. {@code lock}: the Lease as it was before {@code holder} took it.
     *
     * @return what the new rollout's status keeps of the rollout it replaced
     */
    TakeOver takeOver(DeploymentTarget target, RolloutStatus abandoned, Optional<LockHolder> lock, String holder) {
        Instant expired = lock.filter(l -> l.identity().equals(abandoned.startedBy())).map(LockHolder::expires).orElse(null);
        TakeOver takeover = new TakeOver(abandoned.startedBy(), abandoned.startedAt(), abandoned.image(), abandoned.position(), expired);
        ledger.append(target, new Release(PinnedImage.parse(abandoned.image(), "image"), abandoned.startedBy(), clock.instant(),
                ReleaseOutcome.ABORTED, "abandoned: " + takeover.describe() + "; taken over by " + holder, holder));
        return takeover;
    }

    /**
     * The final status of {@code holder}'s rollout of {@code plan}, which {@code stored} (another holder's) replaced:
     * taken over (from the replacing status or the ledger), or ended as the ledger recorded it.
     *
     * @throws DeploymentException when neither says what became of it
     */
    RolloutStatus fate(DeploymentTarget target, RolloutPlan plan, String holder, RolloutStatus stored) {
        TakeOver takeover = stored.takeover();
        if (takeover != null && takeover.holder().equals(holder) && takeover.image().equals(plan.image())) {
            return takenOver(plan, takeover.startedAt(), holder, stored.startedBy(), stored.startedAt(), takeover.position(),
                    takeover.lockExpiredAt());
        }
        Optional<Release> recorded = ledger.history(target).stream()
                .filter(r -> r.deployedBy().equals(holder) && r.image().reference().equals(plan.image()))
                .findFirst();
        if (recorded.isEmpty()) {
            throw new DeploymentException("the rollout of " + plan.image() + " by " + holder + " on " + target
                    + " was replaced by another rollout (started " + stored.startedAt() + " by " + stored.startedBy()
                    + ") and the release ledger has no record of how it ended");
        }
        Release release = recorded.get();
        if (release.takenOverBy() != null) {
            return takenOver(plan, release.time(), holder, release.takenOverBy(), release.time(), null, null);
        }
        return ended(plan, holder, release, stored);
    }

    private static RolloutStatus takenOver(RolloutPlan plan, Instant startedAt, String holder, String by, Instant at,
            Position where, Instant lockExpiredAt) {
        String reason = "taken over by " + by + " at " + at + ": this rollout's process went away"
                + (lockExpiredAt == null ? "" : " and its lock expired at " + lockExpiredAt)
                + (where == null ? "" : "; it had got to " + (where.stage() == Stage.STEPS ? "steps[" + where.stepIndex() + "]" : where.stage().name()));
        RolloutStatus done = RolloutStatus.start(plan, holder, startedAt)
                .withAbort(new AbortState(AbortState.Cause.TAKEN_OVER, reason, at, by))
                .withPosition(new Position(Stage.DONE, where == null ? 0 : where.stepIndex(), at))
                .withFinishedAt(at)
                .withMessage(reason);
        return done.withPhase(RolloutPhase.of(plan, done));
    }

    /** As the ledger recorded the end of this holder's rollout, before another rollout of the Deployment started. */
    private static RolloutStatus ended(RolloutPlan plan, String holder, Release release, RolloutStatus since) {
        String later = "; the Deployment has been rolled out since (started " + since.startedAt() + " by " + since.startedBy() + ")";
        RolloutStatus done = RolloutStatus.start(plan, holder, release.time())
                .withPosition(new Position(Stage.DONE, plan.steps().size(), release.time()))
                .withFinishedAt(release.time());
        if (release.outcome() == ReleaseOutcome.PROMOTED) {
            done = done.withWeight(100).withMessage("stable runs " + plan.image() + " (the ledger recorded it promoted at "
                    + release.time() + ")" + later);
        } else {
            String note = release.note() == null ? release.outcome().json() : release.note();
            AbortState.Cause cause = note.startsWith("aborted by ") ? AbortState.Cause.REQUESTED
                    : note.startsWith("cancelled: ") ? AbortState.Cause.CANCELLED : AbortState.Cause.FAILED;
            done = done.withAbort(new AbortState(cause, note, release.time(), null)).withMessage(note + later);
        }
        return done.withPhase(RolloutPhase.of(plan, done));
    }
}
