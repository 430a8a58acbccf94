package io.jenkins.plugins.immutabledeployment.actions;

import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** What one Deployment runs now, as far as this job knows, and the build that put it there. */
@ExportedBean(defaultVisibility = 2)
public final class LiveRelease {

    private final ReleaseRecord release;
    private final int buildNumber;
    private final String buildUrl;
    private final String buildDisplayName;

    LiveRelease(ReleaseRecord release, int buildNumber, String buildUrl, String buildDisplayName) {
        this.release = release;
        this.buildNumber = buildNumber;
        this.buildUrl = buildUrl;
        this.buildDisplayName = buildDisplayName;
    }

    @Exported(inline = true)
    public ReleaseRecord getRelease() {
        return release;
    }

    @Exported
    public int getBuildNumber() {
        return buildNumber;
    }

    /** Relative to the Jenkins root URL, e.g. {@code job/shop/42/}. */
    @Exported
    public String getBuildUrl() {
        return buildUrl;
    }

    public String getBuildDisplayName() {
        return buildDisplayName;
    }
}
