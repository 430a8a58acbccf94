package io.jenkins.plugins.immutabledeployment.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * The unfinished rollout of another holder that a rollout took the Deployment over from, once that holder's lock had
 * expired (its process died): who ran it, since when, with which image, where it had got to, and when its lock
 * expired (null when no lock was held any more). The holder that comes back later learns from it (or from the
 * ledger, which records that rollout as aborted) what became of its rollout.
 */
public record TakeOver(String holder, Instant startedAt, String image, Position position, Instant lockExpiredAt) {

    public TakeOver {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(position, "position");
    }

    /** E.g. {@code the rollout of … started 2026-03-01T10:00:00Z by …, at steps[2] (its lock expired at …)}. */
    public String describe() {
        return "the rollout of " + image + " started " + startedAt + " by " + holder + ", at "
                + (position.stage() == Stage.STEPS ? "steps[" + position.stepIndex() + "]" : position.stage().name())
                + (lockExpiredAt == null ? " (no lock was held)" : " (its lock expired at " + lockExpiredAt + ")");
    }
}
