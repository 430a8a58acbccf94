package io.jenkins.plugins.immutabledeployment.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.actions.ApprovalWaiter;
import io.jenkins.plugins.immutabledeployment.actions.DeploymentAction;
import io.jenkins.plugins.immutabledeployment.credentials.RegistryAccess;
import io.jenkins.plugins.immutabledeployment.model.PromotionRecord;
import io.jenkins.plugins.immutabledeployment.model.PromotionRequest;
import io.jenkins.plugins.immutabledeployment.credentials.SigningKeys;
import io.jenkins.plugins.immutabledeployment.model.PromotionView;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.promotion.CheckedPromotion;
import io.jenkins.plugins.immutabledeployment.promotion.Promoter;
import io.jenkins.plugins.immutabledeployment.promotion.Promotion;
import io.jenkins.plugins.immutabledeployment.promotion.PromotionResult;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.rollout.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.AbstractStepExecutionImpl;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code promote}. Holds no executor and never blocks the Pipeline's thread: registry work runs on
 * {@link Background} threads, the approval timeout on {@link Timer}. Where the promotion stands lives in the build's
 * facts ({@link DeploymentAction}), not here: this execution keeps only the step's values and the promotion's id
 * (derived from the step's flow node, so it is the same after a restart), and reacts to the recorded state, after
 * a decision, at the deadline and when the build resumes. The promotion itself (gates, copy by digest, tag, the
 * promotion attestation naming the approver) is the engine's {@link Promoter}.
 *
 * <p>A promotion is idempotent by digest, so one interrupted by a restart is simply made again.
 */
public final class PromoteStepExecution extends AbstractStepExecutionImpl implements ApprovalWaiter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(PromoteStepExecution.class.getName());

    private final PromoteInputs inputs;
    private String promotionId;
    private transient volatile ScheduledFuture<?> deadline;
    private transient volatile Future<?> copy;
    private transient volatile boolean completed;
    private transient volatile boolean announced;

    PromoteStepExecution(PromoteInputs inputs, StepContext context) {
        super(context);
        this.inputs = inputs;
    }

    @Override
    public boolean start() throws Exception {
        try {
            PromotionRequest request = inputs.request();
            Run<?, ?> run = run();
            RegistryAccess.forImage(run, request.source(), inputs.credentialsId, "credentialsId");
            RegistryAccess.forImage(run, request.target(), inputs.targetCredentialsIdOrSource(),
                    inputs.targetCredentialsId != null ? "targetCredentialsId" : "credentialsId");
            SigningKeys.forBuild(run, null); // a configured key that cannot be read fails now, not after the approval
        } catch (InvalidInputException e) {
            throw (Exception) BuildLogFailures.forBuildLog(e);
        }
        promotionId = "promotion-" + getContext().get(FlowNode.class).getId();
        Background.submit(this::prepare);
        return false;
    }

    @Override
    public void onResume() {
        Background.submit(this::prepare);
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        completed = true;
        cancel(deadline);
        cancel(copy);
        String reason = "The build was stopped (" + cause + "); nothing more was promoted";
        Timer.get().submit(() -> {
            try {
                recordIfKnown(r -> r.failed(reason));
            } catch (IOException | InterruptedException e) {
                LOGGER.log(Level.WARNING, "could not record that " + promotionId + " stopped", e);
            }
        });
        super.stop(cause);
    }

    @Override
    public String getPromotionId() {
        return promotionId;
    }

    @Override
    public void decisionRecorded() {
        Background.submit(this::reactSafely);
    }

    @Override
    public String getStatus() {
        try {
            PromotionRecord record = recorded().orElse(null);
            if (record == null) {
                return "preparing the promotion";
            }
            return switch (record.state()) {
                case AWAITING_APPROVAL -> "waiting for approval by " + String.join(", ", record.submitters())
                        + record.remaining(Instant.now()).map(left -> " for another " + Durations.format(left)).orElse("");
                case PROMOTING -> "copying " + record.view().from() + " to " + record.view().to();
                default -> record.state().name().toLowerCase(Locale.ROOT);
            };
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    /**
     * On the first start: checks the promotion (a tag pinned once, the gates, the target tag) before it is recorded
     * or anyone is asked, and records it; then reacts to its state.
     */
    private void prepare() {
        try {
            if (recorded().isEmpty()) {
                PromotionRequest request = inputs.request();
                CheckedPromotion checked = withPromoter(request.promotion(), promoter -> promoter.check(request.promotion()));
                PromotionRecord record = newRecord(request, checked);
                action().update(f -> f.promotion(promotionId).isPresent() ? f : f.withPromotion(record));
                PromotionRequest.Approval approval = request.approval();
                if (approval != null) {
                    log(approval.prompt() + " Waiting for " + approval.submitters()
                            + (approval.timeout() == null ? "" : " (for at most " + Durations.format(approval.timeout()) + ")")
                            + " to approve or reject it on " + JenkinsUrls.deploymentPage(run()));
                }
            }
            react();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private PromotionRecord newRecord(PromotionRequest request, CheckedPromotion checked) throws IOException, InterruptedException {
        String from = checked.promotion().image().pinned("image").toString();
        String to = request.target().toString();
        String buildUrl = JenkinsUrls.build(run());
        PromotionRequest.Approval approval = request.approval();
        PromotionRecord record = approval == null
                ? PromotionRecord.promoting(promotionId, request.stage(), from, to, buildUrl)
                : PromotionRecord.awaitingApproval(promotionId, request.stage(), from, to, buildUrl,
                        approval.submitters(), approval.prompt(), Instant.now(), approval.timeout());
        return record.withResolvedFrom(checked.promotion().resolvedFrom());
    }

    /** Does what the recorded state asks for; every path that ends the step goes through here once. */
    private synchronized void react() throws IOException, InterruptedException {
        if (completed) {
            return;
        }
        PromotionRecord record = action().getFacts().promotion(promotionId)
                .orElseThrow(() -> new IllegalStateException(promotionId + " is not recorded in this build"));
        switch (record.state()) {
            case AWAITING_APPROVAL -> armDeadline(record);
            case PROMOTING -> {
                cancel(deadline);
                if (record.view().approver() != null && !announced) {
                    announced = true;
                    log("Approved by " + record.view().approver() + (record.view().comment() == null ? "" : ": " + record.view().comment()));
                }
                if (copy == null || copy.isDone()) {
                    copy = Background.submit(this::copy);
                }
            }
            case PROMOTED -> {
                completed = true;
                getContext().onSuccess(new LinkedHashMap<>(record.stepResult()));
            }
            case REJECTED, FAILED -> fail(new PromotionNotMade(record.failureMessage()));
        }
    }

    /**
     * The promotion as asked, pinned to the recorded digest (a resolved tag kept as {@code resolvedFrom}), with the
     * recorded approver, made by the engine's {@link Promoter}, which checks the gates again.
     */
    private void copy() {
        try {
            PromotionRecord record = action().getFacts().promotion(promotionId).orElseThrow();
            PromotionView view = record.view();
            Promotion promotion = inputs.request().promotion()
                    .pinnedTo(ImageRef.parse(view.from(), "image").requireDigest("image"))
                    .withApproval(view.approver() == null ? null
                            : new PromotionPredicate.Approval(view.approver(), view.approvedAt(), view.comment()))
                    .withBuildUrl(view.buildUrl())
                    .withSigningKey(SigningKeys.forBuild(run(), null));
            PromotionResult result = withPromoter(promotion, promoter -> promoter.promote(promotion));
            log("Promoted " + result.source() + " to " + result.image() + (result.tag() == null ? "" : " as " + result.tag()));
            action().update(f -> f.updatePromotion(promotionId, r -> r.promoted(Instant.now(), result.verifiedProvenance())));
            react();
        } catch (Throwable t) {
            if (!completed) {
                try {
                    recordIfKnown(r -> r.failed("The promotion failed: " + t.getMessage()));
                } catch (IOException | InterruptedException | RuntimeException e) {
                    t.addSuppressed(e);
                }
                fail(t);
            }
        }
    }

    /** Uses a {@link Promoter} between the source's and the target's registries, logged in for this build. */
    private <T> T withPromoter(Promotion promotion, Function<Promoter, T> use) throws IOException, InterruptedException {
        Run<?, ?> run = run();
        RegistryAccess source = RegistryAccess.forImage(run, promotion.image(), inputs.credentialsId, "credentialsId");
        RegistryAccess target = RegistryAccess.forImage(run, promotion.target(), inputs.targetCredentialsIdOrSource(),
                inputs.targetCredentialsId != null ? "targetCredentialsId" : "credentialsId");
        Progress progress = this::log;
        return source.withClient(progress, s -> {
            try {
                return target.withClient(progress, t -> use.apply(new Promoter(s, t, Clock.systemUTC(), progress)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** This promotion as recorded in the build, without adding the build's action when there is none yet. */
    private Optional<PromotionRecord> recorded() throws IOException, InterruptedException {
        DeploymentAction action = run().getAction(DeploymentAction.class);
        return action == null ? Optional.empty() : action.getFacts().promotion(promotionId);
    }

    private void armDeadline(PromotionRecord record) {
        if (deadline != null && !deadline.isDone()) {
            return;
        }
        record.remaining(Instant.now()).ifPresent(left ->
                deadline = Timer.get().schedule(this::expire, Math.max(left.toMillis(), 0L) + 1, TimeUnit.MILLISECONDS));
    }

    private void expire() {
        try {
            recordIfKnown(r -> r.expireIfDue(Instant.now()));
            deadline = null;
            react();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void reactSafely() {
        try {
            react();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void recordIfKnown(UnaryOperator<PromotionRecord> change) throws IOException, InterruptedException {
        action().update(f -> f.promotion(promotionId).isPresent() ? f.updatePromotion(promotionId, change) : f);
    }

    private synchronized void fail(Throwable failure) {
        if (completed) {
            return;
        }
        completed = true;
        cancel(deadline);
        getContext().onFailure(BuildLogFailures.forBuildLog(failure));
    }

    private void log(String line) {
        try {
            getContext().get(TaskListener.class).getLogger().println(line);
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.FINE, "no build log for " + promotionId, e);
        }
    }

    private Run<?, ?> run() throws IOException, InterruptedException {
        return getContext().get(Run.class);
    }

    private DeploymentAction action() throws IOException, InterruptedException {
        return DeploymentAction.of(run());
    }

    private static void cancel(Future<?> task) {
        if (task != null) {
            task.cancel(true);
        }
    }

    /** A promotion that was rejected or failed: the message says who and why. */
    private static final class PromotionNotMade extends DeploymentException {
        private static final long serialVersionUID = 1L;

        PromotionNotMade(String message) {
            super(message);
        }
    }
}
