package io.jenkins.plugins.immutabledeployment.steps;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.immutabledeployment.credentials.CredentialsChoices;
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
 * {@code immutableBuild}: build an image once on the agent (or take an OCI archive), push it, pin it by
 * digest and attach its provenance. Returns a Map: image, digest, repository, tag, size, provenance.
 */
public final class ImmutableBuildStep extends Step {

    public static final String TAG_POLICY_IMMUTABLE = "immutable";
    public static final String TAG_POLICY_OVERWRITE = "overwrite";

    private final String image;
    private String tag;
    private String dockerfile;
    private String context;
    private String builder;
    private String archive;
    private String credentialsId;
    private String tagPolicy = TAG_POLICY_IMMUTABLE;
    private String signingKeyCredentialsId;
    private String sbom;
    private boolean provenance = true;

    @DataBoundConstructor
    public ImmutableBuildStep(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    /** The repository to push to, {@code host[/path]/name}, optionally with {@code :tag}. */
    public String getImage() {
        return image;
    }

    public String getTag() {
        return tag;
    }

    @DataBoundSetter
    public void setTag(String tag) {
        this.tag = Util.fixEmptyAndTrim(tag);
    }

    /** Workspace-relative Dockerfile; {@code Dockerfile} in the context when not set. */
    public String getDockerfile() {
        return dockerfile;
    }

    @DataBoundSetter
    public void setDockerfile(String dockerfile) {
        this.dockerfile = Util.fixEmptyAndTrim(dockerfile);
    }

    /** Workspace-relative build context; the workspace when not set. */
    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    /** {@code buildx}, {@code docker}, {@code buildah} or {@code podman}; the first found when not set. */
    public String getBuilder() {
        return builder;
    }

    @DataBoundSetter
    public void setBuilder(String builder) {
        this.builder = Util.fixEmptyAndTrim(builder);
    }

    /** Workspace-relative OCI layout directory, OCI archive or docker-save tarball to push instead of building. */
    public String getArchive() {
        return archive;
    }

    @DataBoundSetter
    public void setArchive(String archive) {
        this.archive = Util.fixEmptyAndTrim(archive);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** {@code immutable} (default: a tag pointing at another digest is an error) or {@code overwrite}. */
    public String getTagPolicy() {
        return tagPolicy;
    }

    @DataBoundSetter
    public void setTagPolicy(String tagPolicy) {
        String value = Util.fixEmptyAndTrim(tagPolicy);
        this.tagPolicy = value == null ? TAG_POLICY_IMMUTABLE : value;
    }

    public String getSigningKeyCredentialsId() {
        return signingKeyCredentialsId;
    }

    @DataBoundSetter
    public void setSigningKeyCredentialsId(String signingKeyCredentialsId) {
        this.signingKeyCredentialsId = Util.fixEmptyAndTrim(signingKeyCredentialsId);
    }

    /** Workspace-relative SBOM file (CycloneDX or SPDX JSON) to attach to the image. */
    public String getSbom() {
        return sbom;
    }

    @DataBoundSetter
    public void setSbom(String sbom) {
        this.sbom = Util.fixEmptyAndTrim(sbom);
    }

    public boolean isProvenance() {
        return provenance;
    }

    @DataBoundSetter
    public void setProvenance(boolean provenance) {
        this.provenance = provenance;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new NotYetImplementedExecution(context, DescriptorImpl.FUNCTION_NAME);
    }

    @Extension
    @Symbol(DescriptorImpl.FUNCTION_NAME)
    public static final class DescriptorImpl extends StepDescriptor {

        static final String FUNCTION_NAME = "immutableBuild";

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @Override
        public String getDisplayName() {
            return "Build an image once, push it and pin it by digest";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, Launcher.class, TaskListener.class, Run.class, EnvVars.class);
        }

        public FormValidation doCheckImage(@QueryParameter String value) {
            return FormChecks.repository(value);
        }

        public FormValidation doCheckTag(@QueryParameter String value) {
            return FormChecks.tag(value);
        }

        public FormValidation doCheckArchive(@QueryParameter String value, @QueryParameter String dockerfile) {
            if (Util.fixEmptyAndTrim(value) != null && Util.fixEmptyAndTrim(dockerfile) != null) {
                return FormValidation.warning("With an archive nothing is built: dockerfile, context and builder are ignored.");
            }
            return FormValidation.ok();
        }

        public ListBoxModel doFillBuilderItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("First found on the agent", "");
            items.add("docker buildx", "buildx");
            items.add("docker", "docker");
            items.add("buildah", "buildah");
            items.add("podman", "podman");
            return items;
        }

        public ListBoxModel doFillTagPolicyItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("immutable: refuse to move an existing tag", TAG_POLICY_IMMUTABLE);
            items.add("overwrite: move the tag", TAG_POLICY_OVERWRITE);
            return items;
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsChoices.forItem(item, CredentialsChoices.USERNAME_PASSWORD, credentialsId);
        }

        @POST
        public ListBoxModel doFillSigningKeyCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String signingKeyCredentialsId) {
            return CredentialsChoices.forItem(item, CredentialsChoices.SECRET_TEXT_OR_FILE, signingKeyCredentialsId);
        }
    }
}
