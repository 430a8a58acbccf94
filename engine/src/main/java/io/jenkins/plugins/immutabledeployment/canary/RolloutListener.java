package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.kube.PreviewServices;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutStatus;

/**
 * What a caller hears of a running rollout: every status the runner saved ({@link #onStatus}, e.g. to update a
 * build page model) and human progress lines ({@link #progress}, e.g. the build log or stderr). Called from the
 * runner's scheduler threads, one call at a time per rollout; must return quickly and never block.
 */
public interface RolloutListener {

    RolloutListener NONE = new RolloutListener() {};

    default void onStatus(RolloutPlan plan, RolloutStatus status) {}

    default void progress(String line) {}

    /**
     * A blue/green rollout's preview, as checked before the rollout starts or resumes (so before its first
     * {@link #onStatus}): the Services it is reachable through and its size, e.g. for the build page.
     */
    default void onPreview(PreviewServices.Preview preview) {}

    /** A listener that only forwards progress lines. */
    static RolloutListener of(Progress progress) {
        return new RolloutListener() {
            @Override
            public void progress(String line) {
                progress.report(line);
            }
        };
    }
}
