package io.jenkins.plugins.immutabledeployment.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.model.ActionUrls;
import io.jenkins.plugins.immutabledeployment.model.BuildFacts;
import io.jenkins.plugins.immutabledeployment.model.ModelAssembler;
import io.jenkins.plugins.immutabledeployment.model.NotAwaitingApprovalException;
import io.jenkins.plugins.immutabledeployment.model.PromotionRecord;
import io.jenkins.plugins.immutabledeployment.model.RolloutView;
import io.jenkins.plugins.immutabledeployment.model.RolloutViews;
import io.jenkins.plugins.immutabledeployment.model.Viewer;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import io.jenkins.plugins.immutabledeployment.runtime.RolloutRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.Stapler;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.WebMethod;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.interceptor.RequirePOST;
import org.kohsuke.stapler.verb.GET;

/**
 * What a build did with immutable images: the engine's {@link BuildFacts} (image, provenance, promotions,
 * rollouts, rollbacks), kept as JSON text so that XStream keeps loading old builds, and the list of Deployment
 * changes the job page summarises. Each viewer gets the model document {@link ModelAssembler} makes from the facts
 * for them: the Approve / Reject buttons only for a promotion's submitters who have the job's Build permission,
 * Promote / Abort for a rollout waiting for a person only to users with Build permission.
 * Served at {@code <build>/immutable-deployment/}; the model is exported under the build's {@code api/json}.
 */
@ExportedBean
public final class DeploymentAction implements RunAction2 {

    public static final String URL_NAME = "immutable-deployment";

    private static final Logger LOGGER = Logger.getLogger(DeploymentAction.class.getName());
    /** How long a decision waits for the build's program to be loaded (after a restart) to find the waiting step. */
    private static final long FIND_WAITER_SECONDS = 60;

    private String factsJson;
    private List<ReleaseRecord> releases = new ArrayList<>();
    private transient BuildFacts facts;
    private transient volatile Run<?, ?> run;

    public DeploymentAction() {
        this(BuildFacts.empty());
    }

    public DeploymentAction(BuildFacts facts) {
        this.facts = facts;
        this.factsJson = facts.toJson();
    }

    /** The build's action, added if it has none yet. */
    public static DeploymentAction of(Run<?, ?> run) {
        synchronized (run) {
            DeploymentAction action = run.getAction(DeploymentAction.class);
            if (action == null) {
                action = new DeploymentAction();
                run.addAction(action);
            }
            return action;
        }
    }

    protected Object readResolve() {
        if (releases == null) {
            releases = new ArrayList<>();
        }
        if (factsJson == null) {
            factsJson = BuildFacts.empty().toJson();
        }
        return this;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    /**
     * The build this action belongs to. Jenkins tells the action on attach and on load ({@code onLoad}), but a
     * {@code Run.reload()} of a freestyle build makes new actions without telling them: then, in a web request, the
     * build is the one the URL goes through (and is remembered once it is known to hold this very action).
     */
    public Run<?, ?> getRun() {
        Run<?, ?> r = run;
        if (r == null) {
            StaplerRequest2 request = Stapler.getCurrentRequest2();
            Run<?, ?> ancestor = request == null ? null : request.findAncestorObject(Run.class);
            if (ancestor != null && ancestor.getActions(DeploymentAction.class).contains(this)) {
                run = r = ancestor;
            }
        }
        return r;
    }

    private Run<?, ?> run() {
        Run<?, ?> r = getRun();
        if (r == null) {
            throw new IllegalStateException("this Immutable Deployment action is not attached to a build");
        }
        return r;
    }

    /** What the build recorded so far. */
    public synchronized BuildFacts getFacts() {
        if (facts == null) {
            facts = BuildFacts.fromJson(factsJson);
        }
        return facts;
    }

    /**
     * Applies {@code change} to the facts atomically and saves the build. The engine's transitions refuse what the
     * facts do not allow (e.g. a second decision), and then nothing changes.
     */
    public BuildFacts update(UnaryOperator<BuildFacts> change) throws IOException {
        BuildFacts updated;
        synchronized (this) {
            updated = change.apply(getFacts());
            facts = updated;
            factsJson = updated.toJson();
        }
        save();
        return updated;
    }

    /** The model document for the current user, as a tree of maps and lists, for {@code api/json}. */
    @Exported(name = "model")
    public Map<String, Object> getModel() {
        StaplerRequest2 request = Stapler.getCurrentRequest2();
        String json = modelFor(request == null ? "" : request.getContextPath());
        try {
            return Json.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the deployment model is not JSON", e);
        }
    }

    @Exported
    public synchronized List<ReleaseRecord> getReleases() {
        return List.copyOf(releases);
    }

    /** Adds a Deployment change and saves the build. */
    public void addRelease(ReleaseRecord release) throws IOException {
        synchronized (this) {
            releases.add(release);
        }
        save();
    }

    /** The model document for the ui module's script; readable by whoever may read the build, buttons per viewer. */
    @GET
    @WebMethod(name = "model.json")
    public void doModelJson(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run().checkPermission(Item.READ);
        String json = modelFor(req.getContextPath());
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setHeader("Cache-Control", "no-cache");
        rsp.setHeader("X-Content-Type-Options", "nosniff");
        try (PrintWriter w = rsp.getWriter()) {
            w.write(json);
        }
    }

    /** Approves the promotion {@code promotion}: only for its submitters with Build permission, only while it waits. */
    @RequirePOST
    public HttpResponse doApprove(@QueryParameter String promotion, @QueryParameter String comment) throws IOException {
        return decide(promotion, (record, user, at) -> record.approve(user, at, comment));
    }

    /** Rejects the promotion {@code promotion}: the step fails, naming the rejecter and the comment. */
    @RequirePOST
    public HttpResponse doReject(@QueryParameter String promotion, @QueryParameter String comment) throws IOException {
        return decide(promotion, (record, user, at) -> record.reject(user, at, comment));
    }

    /**
     * Promotes the rollout {@code rollout} past its manual pause or inconclusive analysis: for users with the job's
     * Build permission, only while the build runs and its rollout waits for a person (409 otherwise).
     */
    @RequirePOST
    public HttpResponse doPromote(@QueryParameter String rollout) {
        return command(rollout, UserCommand::promote);
    }

    /** Aborts the rollout {@code rollout} back to stable (same conditions as {@link #doPromote}). */
    @RequirePOST
    public HttpResponse doAbort(@QueryParameter String rollout, @QueryParameter String comment) {
        return command(rollout, (user, at) -> UserCommand.abort(user, at, Util.fixEmptyAndTrim(comment) == null
                ? "aborted on the build page by " + user : comment));
    }

    @Override
    public String getIconFileName() {
        return "symbol-cube";
    }

    @Override
    public String getDisplayName() {
        return "Immutable Deployment";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    private String modelFor(String contextPath) {
        return ModelAssembler.json(getFacts(), run().isBuilding(), Viewers.current(run().getParent()), actionUrls(contextPath));
    }

    private ActionUrls actionUrls(String contextPath) {
        String base = contextPath + "/" + run().getUrl() + URL_NAME + "/";
        return (kind, id) -> base + kind.name().toLowerCase(Locale.ROOT) + "?" + (kind.onPromotion() ? "promotion" : "rollout")
                + "=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private HttpResponse decide(String promotionId, Decision decision) throws IOException {
        run().checkPermission(Item.READ);
        String id = Util.fixNull(promotionId);
        Optional<PromotionRecord> record = getFacts().promotion(id);
        if (record.isEmpty()) {
            return HttpResponses.notFound();
        }
        Viewer viewer = Viewers.current(run().getParent());
        if (!record.get().permits(viewer)) {
            return HttpResponses.forbidden();
        }
        try {
            update(f -> f.updatePromotion(id, r -> decision.apply(r, viewer.userId(), Instant.now())));
        } catch (NotAwaitingApprovalException e) {
            return HttpResponses.errorWithoutStack(409, e.getMessage());
        }
        Timer.get().submit(() -> tellWaiter(id));
        return HttpResponses.ok();
    }

    private HttpResponse command(String rolloutId, BiFunction<String, Instant, UserCommand> decision) {
        run().checkPermission(Item.READ);
        String id = Util.fixNull(rolloutId);
        Optional<RolloutView> rollout = getFacts().rollouts().stream().filter(r -> r.id().equals(id)).findFirst();
        if (rollout.isEmpty()) {
            return HttpResponses.notFound();
        }
        Viewer viewer = Viewers.current(run().getParent());
        if (!viewer.mayBuild()) {
            return HttpResponses.forbidden();
        }
        if (!RolloutViews.awaitsDecision(rollout.get()) || !run().isBuilding()) {
            return HttpResponses.errorWithoutStack(409, "The rollout " + id + " is not waiting for a decision.");
        }
        String user = viewer.userId() == null ? "anonymous" : viewer.userId();
        try {
            RolloutRuntime.get().decide(run(), rollout.get(), decision.apply(user, Instant.now()));
        } catch (IOException | RuntimeException e) {
            // Messages name the cluster and what failed, never credentials.
            return HttpResponses.errorWithoutStack(502, "The decision could not be sent to the rollout " + id + ": " + e.getMessage());
        }
        return HttpResponses.ok();
    }

    /** Finds the step waiting on {@code promotionId} among the build's running steps (loading them if need be). */
    private void tellWaiter(String promotionId) {
        if (!(getRun() instanceof FlowExecutionOwner.Executable executable)) {
            return;
        }
        try {
            FlowExecutionOwner owner = executable.asFlowExecutionOwner();
            if (owner == null) {
                return;
            }
            for (StepExecution execution : owner.get().getCurrentExecutions(true).get(FIND_WAITER_SECONDS, TimeUnit.SECONDS)) {
                if (execution instanceof ApprovalWaiter waiter && promotionId.equals(waiter.getPromotionId())) {
                    waiter.decisionRecorded();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The step reads the decision from the facts when it resumes; nothing is lost.
            LOGGER.log(Level.WARNING, "could not tell the step waiting on " + promotionId + " in " + getRun() + " about the decision", e);
        }
    }

    private void save() throws IOException {
        Run<?, ?> r = getRun();
        if (r != null) {
            r.save();
        }
    }

    @FunctionalInterface
    private interface Decision {
        PromotionRecord apply(PromotionRecord record, String user, Instant at);
    }
}
