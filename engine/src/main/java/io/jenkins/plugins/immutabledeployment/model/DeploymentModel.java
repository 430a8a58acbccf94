package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The build page's view of one build: the images it pushed with their provenance, its promotions, rollouts and
 * rollbacks, and the actions the viewer may take. One versioned JSON document ({@link ModelJson}); the UI renders it and the
 * REST API exposes it. It is a view model: the plugin fills it from the build's facts and the rollout
 * engine's status, per viewer (the {@code actions} depend on the viewer's permissions).
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} for documents this code writes
 * @param running whether anything may still change (the build still runs, a rollout runs, a promotion waits or
 *     copies): the UI keeps polling while it is true
 * @param images every image the build pushed, in the order of the pushes; empty when it pushed none
 * @param promotions in the order they happened
 * @param rollouts in the order they started
 * @param rollbacks in the order they happened
 * @param actions what the viewer may do now; empty when nothing
 */
public record DeploymentModel(
        int schemaVersion,
        boolean running,
        List<ImageView> images,
        List<PromotionView> promotions,
        List<RolloutView> rollouts,
        List<RollbackView> rollbacks,
        List<ActionView> actions) {

    /**
     * Bumped only for changes an older reader would misread; adding an optional field does not bump it. 2: every
     * image the build pushed ({@code images}, each with its provenance) instead of one {@code image} and one
     * {@code provenance}; a promotion's {@code to} pinned by digest, its tag in {@code tag}.
     */
    public static final int SCHEMA_VERSION = 2;

    public DeploymentModel {
        if (schemaVersion < 1) {
            throw new InvalidInputException("schemaVersion", "is " + schemaVersion, "an integer >= 1");
        }
        images = ModelChecks.list(images);
        promotions = ModelChecks.list(promotions);
        rollouts = ModelChecks.list(rollouts);
        rollbacks = ModelChecks.list(rollbacks);
        actions = ModelChecks.list(actions);
        Set<String> imageIds = uniqueIds(images.stream().map(ImageView::id).toList(), "images.id");
        knownImages(promotions.stream().map(PromotionView::imageId).toList(), imageIds, "promotions.imageId");
        knownImages(rollouts.stream().map(RolloutView::imageId).toList(), imageIds, "rollouts.imageId");
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

    private static void knownImages(List<String> references, Set<String> imageIds, String field) {
        for (String reference : references) {
            if (reference != null && !imageIds.contains(reference)) {
                throw new InvalidInputException(field, "\"" + reference + "\" refers to no image in this document",
                        "the id of one of its images, or nothing");
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

    /** Collects the parts; {@code running} is derived from them and from whether the build still runs. */
    public static final class Builder {
        private final List<ImageView> images = new ArrayList<>();
        private final List<PromotionView> promotions = new ArrayList<>();
        private final List<RolloutView> rollouts = new ArrayList<>();
        private final List<RollbackView> rollbacks = new ArrayList<>();
        private final List<ActionView> actions = new ArrayList<>();
        private boolean building;

        private Builder() {}

        /** Adds an image, after those added before (the order of the pushes). */
        public Builder image(ImageView image) {
            images.add(image);
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

        /**
         * Whether the build that recorded these facts still runs. While it does, anything may still change, also when
         * nothing is in flight: between a finished promotion and the next step, the next push, promotion or rollout
         * is yet to come. Not given: the document stands for its parts alone (they say whether something runs).
         */
        public Builder building(boolean building) {
            this.building = building;
            return this;
        }

        /** Add only what the viewer is permitted to do now. */
        public Builder action(ActionView action) {
            actions.add(action);
            return this;
        }

        public DeploymentModel build() {
            boolean running = building
                    || rollouts.stream().anyMatch(RolloutView::running)
                    || promotions.stream().anyMatch(p -> p.state() == PromotionState.AWAITING_APPROVAL
                            || p.state() == PromotionState.PROMOTING);
            return new DeploymentModel(
                    SCHEMA_VERSION, running, images, promotions, rollouts, rollbacks, actions);
        }
    }
}
