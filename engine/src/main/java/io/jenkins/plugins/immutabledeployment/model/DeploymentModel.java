package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The build page's view of one build: its image, provenance, promotions, rollouts and rollbacks, and the
 * actions the viewer may take. One versioned JSON document ({@link ModelJson}); the UI renders it and the
 * REST API exposes it. It is a view model: the plugin fills it from the build's facts and the rollout
 * engine's status, per viewer (the {@code actions} depend on the viewer's permissions).
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} for documents this code writes
 * @param running whether anything may still change (a rollout runs, a promotion waits or copies): the UI
 *     keeps polling while it is true
 * @param image the image the build pushed, or {@code null} when the build pushed none
 * @param provenance its provenance, or {@code null} when none was recorded
 * @param promotions in the order they happened
 * @param rollouts in the order they started
 * @param rollbacks in the order they happened
 * @param actions what the viewer may do now; empty when nothing
 */
public record DeploymentModel(
        int schemaVersion,
        boolean running,
        ImageView image,
        ProvenanceView provenance,
        List<PromotionView> promotions,
        List<RolloutView> rollouts,
        List<RollbackView> rollbacks,
        List<ActionView> actions) {

    /** Bumped only for changes an older reader would misread; adding an optional field does not bump it. */
    public static final int SCHEMA_VERSION = 1;

    public DeploymentModel {
        if (schemaVersion < 1) {
            throw new InvalidInputException("schemaVersion", "is " + schemaVersion, "an integer >= 1");
        }
        promotions = ModelChecks.list(promotions);
        rollouts = ModelChecks.list(rollouts);
        rollbacks = ModelChecks.list(rollbacks);
        actions = ModelChecks.list(actions);
        Set<String> promotionIds = uniqueIds(promotions.stream().map(PromotionView::id).toList(), "promotions.id");
        Set<String> rolloutIds = uniqueIds(rollouts.stream().map(RolloutView::id).toList(), "rollouts.id");
        for (ActionView action : actions) {
            boolean known = action.kind().onPromotion()
                    ? promotionIds.contains(action.promotionId())
                    : rolloutIds.contains(action.rolloutId());
            if (!known) {
                throw new InvalidInputException(action.kind().onPromotion() ? "actions.promotionId" : "actions.rolloutId",
                        "refers to no " + (action.kind().onPromotion() ? "promotion" : "rollout") + " in this document",
                        "the id of one of its " + (action.kind().onPromotion() ? "promotions" : "rollouts"));
            }
        }
    }

    private static Set<String> uniqueIds(List<String> ids, String field) {
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw new InvalidInputException(field, "\"" + id + "\" is used twice", "ids unique within the document");
            }
        }
        return seen;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts; {@code running} is derived from them. */
    public static final class Builder {
        private ImageView image;
        private ProvenanceView provenance;
        private final List<PromotionView> promotions = new ArrayList<>();
        private final List<RolloutView> rollouts = new ArrayList<>();
        private final List<RollbackView> rollbacks = new ArrayList<>();
        private final List<ActionView> actions = new ArrayList<>();

        private Builder() {}

        public Builder image(ImageView image) {
            this.image = image;
            return this;
        }

        public Builder provenance(ProvenanceView provenance) {
            this.provenance = provenance;
            return this;
        }

        public Builder promotion(PromotionView promotion) {
            promotions.add(promotion);
            return this;
        }

        public Builder rollout(RolloutView rollout) {
            rollouts.add(rollout);
            return this;
        }

        public Builder rollback(RollbackView rollback) {
            rollbacks.add(rollback);
            return this;
        }

        /** Add only what the viewer is permitted to do now. */
        public Builder action(ActionView action) {
            actions.add(action);
            return this;
        }

        public DeploymentModel build() {
            boolean running = rollouts.stream().anyMatch(RolloutView::running)
                    || promotions.stream().anyMatch(p -> p.state() == PromotionState.AWAITING_APPROVAL
                            || p.state() == PromotionState.PROMOTING);
            return new DeploymentModel(
                    SCHEMA_VERSION, running, image, provenance, promotions, rollouts, rollbacks, actions);
        }
    }
}
