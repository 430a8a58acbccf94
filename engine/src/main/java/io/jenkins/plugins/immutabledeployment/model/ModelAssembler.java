package io.jenkins.plugins.immutabledeployment.model;

/**
 * Makes the model document one viewer sees from a build's facts: everything the build recorded, and as actions
 * only what this viewer may do now: approve or reject a promotion that waits for them, promote or abort a rollout
 * that waits for a person (a manual pause or an inconclusive analysis) when they have the job's Build permission.
 */
public final class ModelAssembler {

    private ModelAssembler() {}

    public static DeploymentModel assemble(BuildFacts facts, Viewer viewer, ActionUrls urls) {
        DeploymentModel.Builder model = DeploymentModel.builder().image(facts.image()).provenance(facts.provenance());
        facts.promotions().forEach(p -> model.promotion(p.view()));
        facts.rollouts().forEach(model::rollout);
        facts.rollbacks().forEach(model::rollback);
        for (PromotionRecord promotion : facts.promotions()) {
            if (promotion.mayBeDecidedBy(viewer)) {
                model.action(ActionView.approve(promotion.id(), urls.url(ActionKind.APPROVE, promotion.id())));
                model.action(ActionView.reject(promotion.id(), urls.url(ActionKind.REJECT, promotion.id())));
            }
        }
        for (RolloutView rollout : facts.rollouts()) {
            if (viewer.mayBuild() && RolloutViews.awaitsDecision(rollout)) {
                model.action(ActionView.promote(rollout.id(), urls.url(ActionKind.PROMOTE, rollout.id())));
                model.action(ActionView.abort(rollout.id(), urls.url(ActionKind.ABORT, rollout.id())));
            }
        }
        return model.build();
    }


    public static String json(BuildFacts facts, Viewer viewer, ActionUrls urls) {
        return ModelJson.write(assemble(facts, viewer, urls));
    }
}
