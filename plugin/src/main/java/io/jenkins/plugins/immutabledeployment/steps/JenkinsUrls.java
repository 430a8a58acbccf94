package io.jenkins.plugins.immutabledeployment.steps;

import hudson.model.Run;
import jenkins.model.Jenkins;

/** Absolute URLs of builds, when Jenkins knows its own URL. */
final class JenkinsUrls {

    private JenkinsUrls() {}

    /** The build's absolute URL, or {@code null} when the Jenkins URL is not configured. */
    static String build(Run<?, ?> run) {
        String root = Jenkins.get().getRootUrl();
        return root == null ? null : root + run.getUrl();
    }

    /** The build's Immutable Deployment page, absolute when possible, else relative to the Jenkins root. */
    static String deploymentPage(Run<?, ?> run) {
        String root = Jenkins.get().getRootUrl();
        return (root == null ? "/" : root) + run.getUrl() + "immutable-deployment/";
    }
}
