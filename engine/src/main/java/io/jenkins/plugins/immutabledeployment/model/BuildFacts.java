package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Everything one build recorded about its images: the facts the plugin keeps with the build (as the JSON text of
 * this record) and from which {@link ModelAssembler} makes each viewer's {@link DeploymentModel}. Immutable: each
 * {@code with…} returns the new facts.
 *
 * @param version {@link #VERSION} for facts this code writes; readers ignore fields they do not know
 * @param image the image the build pushed, or {@code null}
 * @param provenance its provenance as attached, or {@code null}
 * @param promotions in the order they were asked for
 * @param rollouts in the order they started
 * @param rollbacks in the order they happened
 */
public record BuildFacts(
        int version, ImageView image, ProvenanceView provenance, List<PromotionRecord> promotions, List<RolloutView> rollouts,
        List<RollbackView> rollbacks) {

    public static final int VERSION = 1;

    public BuildFacts {
        promotions = ModelChecks.list(promotions);
        rollouts = ModelChecks.list(rollouts);
        rollbacks = ModelChecks.list(rollbacks);
    }

    public static BuildFacts empty() {
        return new BuildFacts(VERSION, null, null, List.of(), List.of(), List.of());
    }

    public static BuildFacts fromJson(String json) {
        try {
            return Json.mapper().readValue(json, BuildFacts.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException("facts", e.getOriginalMessage(), "the build facts JSON this plugin writes");
        }
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("build facts could not be serialized", e);
        }
    }

    /** The image a later push recorded replaces an earlier one: the build page shows one image per build. */
    public BuildFacts withImage(ImageView newImage) {
        return new BuildFacts(VERSION, newImage, provenance, promotions, rollouts, rollbacks);
    }

    public BuildFacts withProvenance(ProvenanceView newProvenance) {
        return new BuildFacts(VERSION, image, newProvenance, promotions, rollouts, rollbacks);
    }

    public Optional<PromotionRecord> promotion(String id) {
        return promotions.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Adds the promotion, or replaces the one with its id. */
    public BuildFacts withPromotion(PromotionRecord promotion) {
        return new BuildFacts(VERSION, image, provenance, upsert(promotions, promotion, PromotionRecord::id), rollouts, rollbacks);
    }

    /**
     * Moves the promotion {@code id} on with {@code change} (e.g. {@code p -> p.approve(...)}).
     *
     * @throws InvalidInputException if there is no such promotion
     */
    public BuildFacts updatePromotion(String id, UnaryOperator<PromotionRecord> change) {
        PromotionRecord current = promotion(id).orElseThrow(() ->
                new InvalidInputException("promotion", "\"" + id + "\" is not a promotion of this build", "the id of one of its promotions"));
        return withPromotion(change.apply(current));
    }

    /** Adds the rollout, or replaces the one with its id. */
    public BuildFacts withRollout(RolloutView rollout) {
        return new BuildFacts(VERSION, image, provenance, promotions, upsert(rollouts, rollout, RolloutView::id), rollbacks);
    }

    public BuildFacts withRollback(RollbackView rollback) {
        List<RollbackView> all = new ArrayList<>(rollbacks);
        all.add(rollback);
        return new BuildFacts(VERSION, image, provenance, promotions, rollouts, all);
    }

    private static <T> List<T> upsert(List<T> items, T item, Function<T, String> id) {
        List<T> all = new ArrayList<>(items);
        for (int i = 0; i < all.size(); i++) {
            if (id.apply(all.get(i)).equals(id.apply(item))) {
                all.set(i, item);
                return all;
            }
        }
        all.add(item);
        return all;
    }
}
