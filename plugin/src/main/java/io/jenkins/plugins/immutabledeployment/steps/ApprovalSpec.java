package io.jenkins.plugins.immutabledeployment.steps;

import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.immutabledeployment.forms.FormChecks;
import io.jenkins.plugins.immutabledeployment.model.Submitters;
import java.io.Serializable;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The approval a {@code promote} waits for: {@code approval: [submitters: 'alice,release-managers', timeout: '24h']}.
 * Only users named in {@code submitters} (user ids or groups) who also have the job's Build permission may
 * approve or reject. No symbol on purpose: a Pipeline writes it as a plain map.
 */
public final class ApprovalSpec implements Describable<ApprovalSpec>, Serializable {

    private static final long serialVersionUID = 1L;

    private final String submitters;
    private String message;
    private String timeout;

    @DataBoundConstructor
    public ApprovalSpec(String submitters) {
        this.submitters = Util.fixEmptyAndTrim(submitters);
    }

    /** Comma-separated user ids and group names. */
    public String getSubmitters() {
        return submitters;
    }

    public String getMessage() {
        return message;
    }

    @DataBoundSetter
    public void setMessage(String message) {
        this.message = Util.fixEmptyAndTrim(message);
    }

    /** How long to wait, e.g. {@code 24h}; the step fails when it passes. Waits until decided when not set. */
    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<ApprovalSpec> {

        @Override
        public String getDisplayName() {
            return "Approval";
        }

        public FormValidation doCheckSubmitters(@QueryParameter String value) {
            return FormChecks.engine(() -> Submitters.parse(value, "approval.submitters"));
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return FormChecks.duration("approval.timeout", value, false);
        }
    }
}
