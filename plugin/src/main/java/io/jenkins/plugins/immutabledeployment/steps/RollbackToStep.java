package io.jenkins.plugins.immutabledeployment.steps;

import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.immutabledeployment.forms.FormChecks;
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
 * {@code rollbackTo}: put a Deployment back on a known-good digest from the cluster's release ledger (or an
 * explicit digest-pinned image), aborting any rollout in progress first. Idempotent. Returns a Map: image,
 * digest, deployment, namespace, revision.
 */
public final class RollbackToStep extends Step {

    public static final String PREVIOUS = "previous";

    private final String deployment;
    private String namespace;
    private String cluster;
    private String revision = PREVIOUS;
    private String image;

    @DataBoundConstructor
    public RollbackToStep(String deployment) {
        this.deployment = Util.fixEmptyAndTrim(deployment);
    }

    public String getDeployment() {
        return deployment;
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = Util.fixEmptyAndTrim(cluster);
    }

    /** {@code previous} (default) or how many releases back, as text ({@code "2"}). */
    public String getRevision() {
        return revision;
    }

    /**
     * Takes {@code 'previous'}, a number ({@code revision: 2}) or its text. Typed {@code Object} because
     * structs does not turn a Groovy number into a String parameter.
     */
    @DataBoundSetter
    public void setRevision(Object revision) {
        String value = revision == null ? null : Util.fixEmptyAndTrim(revision.toString());
        this.revision = value == null ? PREVIOUS : value;
    }

    /** An explicit {@code repo@sha256:…} to go back to, instead of a ledger revision. */
    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new RollbackToStepExecution(this, context);
    }

    @Extension
    @Symbol(DescriptorImpl.FUNCTION_NAME)
    public static final class DescriptorImpl extends StepDescriptor {

        static final String FUNCTION_NAME = "rollbackTo";

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @Override
        public String getDisplayName() {
            return "Roll a Deployment back to a known-good digest";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public FormValidation doCheckDeployment(@QueryParameter String value) {
            return FormChecks.deployment(value);
        }

        public FormValidation doCheckNamespace(@QueryParameter String value) {
            return FormChecks.label("namespace", value);
        }

        public FormValidation doCheckRevision(@QueryParameter String value) {
            return FormChecks.revision(value);
        }

        public FormValidation doCheckImage(@QueryParameter String value) {
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.ok() : FormChecks.imageReference("image", value, true);
        }

        @POST
        public ListBoxModel doFillClusterItems(@AncestorInPath Item item) {
            return CanaryRolloutStep.DescriptorImpl.clusterItems(item);
        }
    }
}
