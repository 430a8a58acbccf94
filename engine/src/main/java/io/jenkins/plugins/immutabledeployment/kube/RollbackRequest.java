package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Duration;
import java.util.Objects;

/**
 * A rollback to run.
 *
 * @param target      the stable Deployment
 * @param revision    where to go: previous, N back, or an explicit image
 * @param requestedBy who asks: a build URL or {@code cli:USER@HOST} (lock holder and ledger entry)
 * @param timeout     how long the stable Deployment may take to roll out before the rollback counts as failed
 */
public record RollbackRequest(DeploymentTarget target, RollbackTarget revision, String requestedBy, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public RollbackRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(revision, "revision");
        if (requestedBy == null || requestedBy.isBlank()) {
            throw new InvalidInputException("requestedBy", "is empty", "a build URL or cli:USER@HOST");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidInputException("timeout", "\"" + timeout + "\" is not a positive duration", "e.g. 10m");
        }
    }
}
