package io.jenkins.plugins.immutabledeployment.steps;

import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.config.ClusterEntry;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import io.jenkins.plugins.immutabledeployment.credentials.CredentialsChoices;
import io.jenkins.plugins.immutabledeployment.forms.FormChecks;
import io.jenkins.plugins.immutabledeployment.forms.FormText;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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
 * {@code canaryRollout}: shift traffic to a digest-pinned image step by step with health gates, then promote
 * it to the stable Deployment or abort back to stable. Needs no {@code node}. Returns a Map: image, digest,
 * deployment, namespace, outcome, steps.
 *
 * <p>{@code steps} and {@code analysis} take lists and maps in a Pipeline script
 * ({@code steps: [[setWeight: 10], [pause: '2m']]}); their setters take raw {@code Map} types because structs
 * cannot describe parameterised map types. In the Snippet Generator form they are JSON text fields and the
 * weights a comma-separated list (see {@link DescriptorImpl#newInstance(StaplerRequest2, JSONObject)}).
 */
public final class CanaryRolloutStep extends Step {

    public static final String TRAFFIC_REPLICAS = "replicas";
    public static final String TRAFFIC_GATEWAY = "gateway";

    private final String image;
    private final String deployment;
    private String namespace;
    private String container;
    private String cluster;
    private String traffic = TRAFFIC_REPLICAS;
    private String httpRoute;
    private String stableService;
    private String canaryService;
    private List<Map<String, Object>> steps;
    private List<Integer> weights;
    private String interval;
    private Map<String, Object> analysis;
    private String progressDeadline;
    private boolean requireProvenance;
    private String publicKey;
    private String requirePromotedTo;
    private boolean blueGreen;

    @DataBoundConstructor
    public CanaryRolloutStep(String image, String deployment) {
        this.image = Util.fixEmptyAndTrim(image);
        this.deployment = Util.fixEmptyAndTrim(deployment);
    }

    /** {@code repo@sha256:…}; tags are refused. */
    public String getImage() {
        return image;
    }

    /** The stable Deployment's name. */
    public String getDeployment() {
        return deployment;
    }

    /** The Deployment's namespace; the cluster configuration's namespace when not set. */
    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    /** The container whose image changes; the only container when not set. */
    public String getContainer() {
        return container;
    }

    @DataBoundSetter
    public void setContainer(String container) {
        this.container = Util.fixEmptyAndTrim(container);
    }

    /** A cluster name from the global configuration; the controller's default Kubernetes configuration when not set. */
    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = Util.fixEmptyAndTrim(cluster);
    }

    /** {@code replicas} (default) or {@code gateway}. */
    public String getTraffic() {
        return traffic;
    }

    @DataBoundSetter
    public void setTraffic(String traffic) {
        String value = Util.fixEmptyAndTrim(traffic);
        this.traffic = value == null ? TRAFFIC_REPLICAS : value;
    }

    /** With {@code traffic: 'gateway'}: the Gateway API HTTPRoute whose backend weights shift. */
    public String getHttpRoute() {
        return httpRoute;
    }

    @DataBoundSetter
    public void setHttpRoute(String httpRoute) {
        this.httpRoute = Util.fixEmptyAndTrim(httpRoute);
    }

    public String getStableService() {
        return stableService;
    }

    @DataBoundSetter
    public void setStableService(String stableService) {
        this.stableService = Util.fixEmptyAndTrim(stableService);
    }

    public String getCanaryService() {
        return canaryService;
    }

    @DataBoundSetter
    public void setCanaryService(String canaryService) {
        this.canaryService = Util.fixEmptyAndTrim(canaryService);
    }

    /** The plan: one-key maps {@code setWeight}, {@code pause}, {@code analysis}, in order. */
    public List<Map<String, Object>> getSteps() {
        return steps;
    }

    @DataBoundSetter
    @SuppressWarnings("rawtypes")
    public void setSteps(List<Map> steps) {
        this.steps = PlainValues.mapList("steps", steps);
    }

    /** Shorthand plan: these weights with a pause of {@link #getInterval()} between them. */
    public List<Integer> getWeights() {
        return weights;
    }

    @DataBoundSetter
    public void setWeights(List<Integer> weights) {
        this.weights = weights == null ? null : List.copyOf(weights);
    }

    public String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(String interval) {
        this.interval = Util.fixEmptyAndTrim(interval);
    }

    /** Named analyses the plan's {@code analysis} steps refer to. */
    public Map<String, Object> getAnalysis() {
        return analysis;
    }

    @DataBoundSetter
    @SuppressWarnings("rawtypes")
    public void setAnalysis(Map analysis) {
        this.analysis = PlainValues.map("analysis", analysis);
    }

    /** How long canary pods may take to become ready, e.g. {@code 10m}. */
    public String getProgressDeadline() {
        return progressDeadline;
    }

    @DataBoundSetter
    public void setProgressDeadline(String progressDeadline) {
        this.progressDeadline = Util.fixEmptyAndTrim(progressDeadline);
    }

    public boolean isRequireProvenance() {
        return requireProvenance;
    }

    @DataBoundSetter
    public void setRequireProvenance(boolean requireProvenance) {
        this.requireProvenance = requireProvenance;
    }

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

    public boolean isBlueGreen() {
        return blueGreen;
    }

    @DataBoundSetter
    public void setBlueGreen(boolean blueGreen) {
        this.blueGreen = blueGreen;
    }

    /** Form view of {@link #getWeights()}. */
    public String getWeightsText() {
        return FormText.weightsText(weights);
    }

    /** Form view of {@link #getSteps()}. */
    public String getStepsJson() {
        return FormText.json(steps);
    }

    /** Form view of {@link #getAnalysis()}. */
    public String getAnalysisJson() {
        return FormText.json(analysis);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new CanaryRolloutStepExecution(this, context);
    }

    @Extension
    @Symbol(DescriptorImpl.FUNCTION_NAME)
    public static final class DescriptorImpl extends StepDescriptor {

        static final String FUNCTION_NAME = "canaryRollout";

        public DescriptorImpl() {
            addHelpFileRedirect("weightsText", CanaryRolloutStep.class, "weights");
            addHelpFileRedirect("stepsJson", CanaryRolloutStep.class, "steps");
            addHelpFileRedirect("analysisJson", CanaryRolloutStep.class, "analysis");
        }

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @Override
        public String getDisplayName() {
            return "Roll out a digest-pinned image progressively on Kubernetes";
        }

        /** No FilePath or Launcher: the rollout holds no executor while it waits. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** Binds the form's text fields (weights, JSON plan and analyses) that Stapler cannot bind to lists and maps. */
        @Override
        public Step newInstance(StaplerRequest2 req, JSONObject formData) throws FormException {
            String weightsText = text(formData.remove("weightsText"));
            String stepsJson = text(formData.remove("stepsJson"));
            String analysisJson = text(formData.remove("analysisJson"));
            CanaryRolloutStep step = (CanaryRolloutStep) super.newInstance(req, formData);
            step.setWeights(formField("weightsText", () -> FormText.weights("weights", weightsText)));
            step.steps = formField("stepsJson", () -> PlainValues.mapList("steps", FormText.mapList("steps", stepsJson)));
            step.analysis = formField("analysisJson", () -> PlainValues.map("analysis", FormText.map("analysis", analysisJson)));
            return step;
        }

        private static <T> T formField(String formField, Supplier<T> parse) throws FormException {
            try {
                return parse.get();
            } catch (InvalidInputException e) {
                throw new FormException(e.getMessage(), formField);
            }
        }

        private static String text(Object formValue) {
            return formValue == null ? null : formValue.toString();
        }

        public FormValidation doCheckImage(@QueryParameter String value) {
            return FormChecks.imageReference("image", value, true);
        }

        public FormValidation doCheckDeployment(@QueryParameter String value) {
            return FormChecks.deployment(value);
        }

        public FormValidation doCheckNamespace(@QueryParameter String value) {
            return FormChecks.label("namespace", value);
        }

        public FormValidation doCheckContainer(@QueryParameter String value) {
            return FormChecks.label("container", value);
        }

        public FormValidation doCheckStableService(@QueryParameter String value) {
            return FormChecks.label("stableService", value);
        }

        public FormValidation doCheckCanaryService(@QueryParameter String value) {
            return FormChecks.label("canaryService", value);
        }

        public FormValidation doCheckHttpRoute(@QueryParameter String value, @QueryParameter String traffic) {
            if (TRAFFIC_GATEWAY.equals(traffic) && Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.error("Gateway traffic needs the HTTPRoute whose backend weights shift.");
            }
            return FormChecks.objectName("httpRoute", value);
        }

        public FormValidation doCheckWeightsText(@QueryParameter String value) {
            return FormChecks.weights(value);
        }

        public FormValidation doCheckStepsJson(@QueryParameter String value) {
            return FormChecks.engine(() -> FormText.mapList("steps", value));
        }

        public FormValidation doCheckAnalysisJson(@QueryParameter String value) {
            return FormChecks.engine(() -> FormText.map("analysis", value));
        }

        public FormValidation doCheckInterval(@QueryParameter String value) {
            return FormChecks.duration("interval", value, false);
        }

        public FormValidation doCheckProgressDeadline(@QueryParameter String value) {
            return FormChecks.duration("progressDeadline", value, false);
        }

        public FormValidation doCheckPublicKey(@QueryParameter String value) {
            return FormChecks.publicKey(value);
        }

        public ListBoxModel doFillTrafficItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("replicas: a canary Deployment beside the stable one, weight by replica ratio", TRAFFIC_REPLICAS);
            items.add("gateway: Gateway API HTTPRoute backend weights", TRAFFIC_GATEWAY);
            return items;
        }

        @POST
        public ListBoxModel doFillClusterItems(@AncestorInPath Item item) {
            return clusterItems(item);
        }

        /** The configured clusters' names, only to users who may configure {@code item} (naming them is information). */
        static ListBoxModel clusterItems(Item item) {
            ListBoxModel items = new ListBoxModel();
            items.add("The controller's default Kubernetes configuration", "");
            if (CredentialsChoices.mayConfigure(item)) {
                for (ClusterEntry c : ImmutableDeploymentConfiguration.get().getClusters()) {
                    items.add(c.getName());
                }
            }
            return items;
        }
    }
}
