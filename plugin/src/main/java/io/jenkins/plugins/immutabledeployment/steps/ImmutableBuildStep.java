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
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.build.BuildArgs;
import io.jenkins.plugins.immutabledeployment.build.BuildRequest;
import io.jenkins.plugins.immutabledeployment.credentials.CredentialsChoices;
import io.jenkins.plugins.immutabledeployment.forms.FormChecks;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
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
    private Map<String, Object> buildArgs;
    private String platform;

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

    /** Dockerfile {@code ARG} values, e.g. {@code [VERSION: '1.4']}; not secrets (images and provenance keep them). */
    public Map<String, Object> getBuildArgs() {
        return buildArgs;
    }

    @DataBoundSetter
    @SuppressWarnings("rawtypes")
    public void setBuildArgs(Map buildArgs) {
        this.buildArgs = buildArgs == null || buildArgs.isEmpty() ? null : PlainValues.map("buildArgs", buildArgs);
    }

    /** The target platform, e.g. {@code linux/arm64}; the agent's own when not set. */
    public String getPlatform() {
        return platform;
    }

    @DataBoundSetter
    public void setPlatform(String platform) {
        this.platform = Util.fixEmptyAndTrim(platform);
    }

    /** Form view of {@link #getBuildArgs()}: one {@code NAME=value} per line. */
    public String getBuildArgsText() {
        return buildArgs == null ? "" : BuildArgs.parse(buildArgs, "buildArgs").toText();
    }

    /** The values the engine's {@link BuildRequest} checks, by parameter name. */
    Map<String, Object> parameters() {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("image", image);
        parameters.put("tag", tag);
        parameters.put("tagPolicy", tagPolicy);
        parameters.put("archive", archive);
        parameters.put("builder", builder);
        parameters.put("dockerfile", dockerfile);
        parameters.put("context", context);
        parameters.put("buildArgs", buildArgs);
        parameters.put("platform", platform);
        return parameters;
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
        return new ImmutableBuildStepExecution(this, context);
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
            return checkRequest("image", value);
        }

        public FormValidation doCheckTag(@QueryParameter String value) {
            return FormChecks.tag(value);
        }

        public DescriptorImpl() {
            addHelpFileRedirect("buildArgsText", ImmutableBuildStep.class, "buildArgs");
        }

        /** Binds the form's build argument text, which Stapler cannot bind to a map. */
        @Override
        public Step newInstance(StaplerRequest2 req, JSONObject formData) throws FormException {
            Object text = formData.remove("buildArgsText");
            ImmutableBuildStep step = (ImmutableBuildStep) super.newInstance(req, formData);
            try {
                step.setBuildArgs(BuildArgs.parseText(text == null ? null : text.toString(), "buildArgs").values());
            } catch (InvalidInputException e) {
                throw new FormException(e.getMessage(), "buildArgsText");
            }
            return step;
        }

        public FormValidation doCheckArchive(@QueryParameter String value, @QueryParameter String dockerfile,
                @QueryParameter String context, @QueryParameter String builder, @QueryParameter String platform) {
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.ok() : checkRequest("archive", value,
                    "dockerfile", dockerfile, "context", context, "builder", builder, "platform", platform);
        }

        public FormValidation doCheckBuildArgsText(@QueryParameter String value) {
            return FormChecks.engine(() -> BuildArgs.parseText(value, "buildArgs"));
        }

        public FormValidation doCheckPlatform(@QueryParameter String value) {
            return checkRequest("platform", value);
        }

        public FormValidation doCheckDockerfile(@QueryParameter String value) {
            return checkRequest("dockerfile", value);
        }

        public FormValidation doCheckContext(@QueryParameter String value) {
            return checkRequest("context", value);
        }

        /** Asks the engine about a few parameters, as the step will: {@code name, value, name, value, …}. */
        private static FormValidation checkRequest(String... namesAndValues) {
            Map<String, Object> parameters = new HashMap<>();
            parameters.put("image", "localhost/form-check");
            for (int i = 0; i < namesAndValues.length; i += 2) {
                parameters.put(namesAndValues[i], namesAndValues[i + 1]);
            }
            return FormChecks.engine(() -> BuildRequest.parse(parameters));
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
