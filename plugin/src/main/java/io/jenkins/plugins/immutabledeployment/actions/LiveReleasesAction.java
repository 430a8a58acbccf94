package io.jenkins.plugins.immutabledeployment.actions;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.TransientActionFactory;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * The job page's "Live deployments": per Deployment, the image the most recent builds left live and the
 * build that did it. A view only, computed from the last {@link #BUILDS_SCANNED} builds' {@link DeploymentAction}s
 * and never saved; the cluster's own release ledger is the authority.
 */
@ExportedBean
public final class LiveReleasesAction implements Action {

    /** How far back the job page looks; keeps the page cheap on jobs with long histories. */
    static final int BUILDS_SCANNED = 25;

    private final Job<?, ?> job;
    private final List<LiveRelease> releases;

    LiveReleasesAction(Job<?, ?> job, List<LiveRelease> releases) {
        this.job = job;
        this.releases = List.copyOf(releases);
    }

    public Job<?, ?> getJob() {
        return job;
    }

    @Exported(inline = true)
    public List<LiveRelease> getReleases() {
        return releases;
    }

    @Override
    public String getIconFileName() {
        return "symbol-cube";
    }

    @Override
    public String getDisplayName() {
        return "Live deployments";
    }

    @Override
    public String getUrlName() {
        return "immutable-deployments";
    }

    /**
     * Newest first: for each Deployment the first change found that left an image live wins. A rollout that
     * aborted left the earlier image live, so it does not count.
     */
    static List<LiveRelease> scan(Job<?, ?> job, int maxBuilds) {
        Map<String, LiveRelease> byTarget = new LinkedHashMap<>();
        Run<?, ?> build = job.getLastBuild();
        for (int seen = 0; build != null && seen < maxBuilds; seen++, build = build.getPreviousBuild()) {
            DeploymentAction action = build.getAction(DeploymentAction.class);
            if (action == null) {
                continue;
            }
            List<ReleaseRecord> changes = new ArrayList<>(action.getReleases());
            for (int i = changes.size() - 1; i >= 0; i--) {
                ReleaseRecord change = changes.get(i);
                if (change.isLive() && !byTarget.containsKey(change.getTarget())) {
                    byTarget.put(change.getTarget(),
                            new LiveRelease(change, build.getNumber(), build.getUrl(), build.getDisplayName()));
                }
            }
        }
        return new ArrayList<>(byTarget.values());
    }

    @Extension
    public static final class Factory extends TransientActionFactory<Job> {

        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @NonNull
        @Override
        public Class<? extends Action> actionType() {
            return LiveReleasesAction.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Job target) {
            List<LiveRelease> live = scan(target, BUILDS_SCANNED);
            return live.isEmpty() ? Set.of() : Set.of(new LiveReleasesAction(target, live));
        }
    }
}
