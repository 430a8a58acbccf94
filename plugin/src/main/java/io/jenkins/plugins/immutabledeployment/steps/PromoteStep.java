package io.jenkins.plugins.immutabledeployment.steps;

import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.immutabledeployment.credentials.CredentialsChoices;
import io.jenkins.plugins.immutabledeployment.forms.FormChecks;
import io.jenkins.plugins.immutabledeployment.model.PromotionRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code promote}: copy a digest-pinned image unchanged to the next stage's repository, after its gates and
 * optional approval, and record the promotion. Returns a Map: image, digest, repository, tag, stage, approvedBy.
 */
public final class PromoteStep extends Step {

    private final String image;
    private final String to;
    private String tag;
    private boolean resolve;
    private boolean requireProvenance;
    private String publicKey;
    private String requirePromotedTo;
    private String stage;
    private ApprovalSpec approval;
    private String credentialsId;
    private String targetCredentialsId;

    @DataBoundConstructor
    public PromoteStep(String image, String to) {
        this.image = Util.fixEmptyAndTrim(image);
        this.to = Util.fixEmptyAndTrim(to);
    }

    /** The source, {@code repo@sha256:…} (a tag only with {@link #isResolve()}). */
    public String getImage() {
        return image;
    }

    /** The target repository, optionally with {@code :tag}. */
    public String getTo() {
        return to;
    }

    public String getTag() {
        return tag;
    }

    @DataBoundSetter
    public void setTag(String tag) {
        this.tag = Util.fixEmptyAndTrim(tag);
    }

    public boolean isResolve() {
        return resolve;
    }

    @DataBoundSetter
    public void setResolve(boolean resolve) {
        this.resolve = resolve;
    }

    public boolean isRequireProvenance() {
        return requireProvenance;
    }

    @DataBoundSetter
    public void setRequireProvenance(boolean requireProvenance) {
        this.requireProvenance = requireProvenance;
    }

    /** PEM public key the provenance signature must verify with (public, not a secret). */
    public String getPublicKey() {
        return publicKey;
    }

    @DataBoundSetter
    public void setPublicKey(String publicKey) {
        this.publicKey = Util.fixEmptyAndTrim(publicKey);
    }

    public String getRequirePromotedTo() {
        return requirePromotedTo;
    }

    @DataBoundSetter
    public void setRequirePromotedTo(String requirePromotedTo) {
        this.requirePromotedTo = Util.fixEmptyAndTrim(requirePromotedTo);
    }

    /** The stage this promotion records, e.g. {@code production}. */
    public String getStage() {
        return stage;
    }

    @DataBoundSetter
    public void setStage(String stage) {
        this.stage = Util.fixEmptyAndTrim(stage);
    }

    public ApprovalSpec getApproval() {
        return approval;
    }

    @DataBoundSetter
    public void setApproval(ApprovalSpec approval) {
        this.approval = approval;
    }

    /** Login for the source registry. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** Login for the target registry; the source login when not set. */
    public String getTargetCredentialsId() {
        return targetCredentialsId;
    }

    @DataBoundSetter
    public void setTargetCredentialsId(String targetCredentialsId) {
        this.targetCredentialsId = Util.fixEmptyAndTrim(targetCredentialsId);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new PromoteStepExecution(new PromoteInputs(this), context);
    }

    @Extension
    @Symbol(DescriptorImpl.FUNCTION_NAME)
    public static final class DescriptorImpl extends StepDescriptor {

        static final String FUNCTION_NAME = "promote";

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @Override
        public String getDisplayName() {
            return "Promote a digest-pinned image unchanged to the next stage";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public FormValidation doCheckImage(@QueryParameter String value, @QueryParameter boolean resolve) {
            return FormChecks.imageReference("image", value, !resolve);
        }

        public FormValidation doCheckTo(@QueryParameter String value) {
            return checkRequest("to", value);
        }

        public FormValidation doCheckTag(@QueryParameter String value) {
            return FormChecks.tag(value);
        }

        public FormValidation doCheckStage(@QueryParameter String value) {
            return checkRequest("stage", value);
        }

        public FormValidation doCheckRequirePromotedTo(@QueryParameter String value) {
            return checkRequest("requirePromotedTo", value);
        }

        public FormValidation doCheckPublicKey(@QueryParameter String value) {
            return FormChecks.publicKey(value);
        }

        /** Asks the engine about one parameter, as the step will. */
        private static FormValidation checkRequest(String name, String value) {
            Map<String, Object> parameters = new HashMap<>();
            parameters.put("image", "localhost/form-check@sha256:" + "0".repeat(64));
            parameters.put("to", "localhost/form-check-target");
            parameters.put(name, value);
            return FormChecks.engine(() -> PromotionRequest.parse(parameters));
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsChoices.forItem(item, CredentialsChoices.USERNAME_PASSWORD, credentialsId);
        }

        @POST
        public ListBoxModel doFillTargetCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String targetCredentialsId) {
            return CredentialsChoices.forItem(item, CredentialsChoices.USERNAME_PASSWORD, targetCredentialsId);
        }
    }
}
