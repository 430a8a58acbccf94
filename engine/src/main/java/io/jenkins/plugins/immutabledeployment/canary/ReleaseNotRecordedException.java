package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;

/**
 * "Released, not recorded": the rollout finished — {@link #result()} says how; after a promotion stable runs the
 * new image — but its outcome could not be written to the release ledger. It is kept on the stable Deployment and
 * written to the ledger by the next rollout or rollback of it (see {@code DeferredReleases}). A failure all the same
 * (the CLI exits 1, the Pipeline step fails), because the ledger is what {@code rollbackTo} goes by.
 */
public class ReleaseNotRecordedException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final transient Release release;
    private final transient RolloutResult result;

    ReleaseNotRecordedException(DeploymentTarget target, Release release, String why, Throwable cause) {
        this(message(target, release, why), release, null, cause);
    }

    private ReleaseNotRecordedException(String message, Release release, RolloutResult result, Throwable cause) {
        super(message, cause);
        this.release = release;
        this.result = result;
    }

    private static String message(DeploymentTarget target, Release release, String why) {
        return "released, not recorded: the rollout of " + release.image() + " on " + target + " ended "
                + release.outcome().json() + ", but the release ledger (ConfigMap " + target.namespace() + "/"
                + ReleaseLedger.configMapName(target) + ") could not be written: " + why;
    }

    /** The same failure, carrying how the rollout ended. */
    ReleaseNotRecordedException withResult(RolloutResult finished) {
        ReleaseNotRecordedException copy = new ReleaseNotRecordedException(getMessage(), release, finished, getCause());
        for (Throwable suppressed : getSuppressed()) {
            copy.addSuppressed(suppressed);
        }
        return copy;
    }

    /** The ledger entry that waits to be written. */
    public Release release() {
        return release;
    }

    /** How the rollout ended (null only before it was known). */
    public RolloutResult result() {
        return result;
    }
}
