package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Everything one build recorded about its images: the facts the plugin keeps with the build (as the JSON text of
 * this record) and from which {@link ModelAssembler} makes each viewer's {@link DeploymentModel}. Immutable: each
 * {@code with…} returns the new facts. Saved facts are kept forever: {@link #fromJson} also reads every older
 * {@code version} (see {@link StoredFactsV1}).
 *
 * @param version {@link #VERSION} for facts this code writes; readers ignore fields they do not know
 * @param images every image the build pushed, each with its provenance, in the order of the pushes
 * @param promotions in the order they were asked for
 * @param rollouts in the order they started
 * @param rollbacks in the order they happened
 */
public record BuildFacts(
        int version, List<ImageView> images, List<PromotionRecord> promotions, List<RolloutView> rollouts,
        List<RollbackView> rollbacks) {

    /** 2: every push in {@code images}, promotion targets pinned by digest; 1: one {@code image} and {@code provenance}. */
    public static final int VERSION = 2;

    private static final String ACCEPTED_FORM = "the build facts JSON this plugin writes";

    public BuildFacts {
        images = ModelChecks.list(images);
        promotions = ModelChecks.list(promotions);
        rollouts = ModelChecks.list(rollouts);
        rollbacks = ModelChecks.list(rollbacks);
    }

    public static BuildFacts empty() {
        return new BuildFacts(VERSION, List.of(), List.of(), List.of(), List.of());
    }

    /** Reads facts this code wrote, or an older version of it (read as they would be recorded now). */
    public static BuildFacts fromJson(String json) {
        try {
            JsonNode tree = Json.mapper().readTree(json);
            if (!(tree instanceof ObjectNode stored)) {
                throw new InvalidInputException("facts", "is not a JSON object", ACCEPTED_FORM);
            }
            ObjectNode current = stored.path("version").asInt(1) < 2 ? StoredFactsV1.upgrade(stored) : stored;
            return Json.mapper().treeToValue(current, BuildFacts.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException("facts", e.getOriginalMessage(), ACCEPTED_FORM);
        }
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("build facts could not be serialized", e);
        }
    }

    /**
     * Records a push. A digest already recorded for that repository is the same image pushed again (another tag, a
     * step retried): it keeps its id and place, gains the tags, and takes the newer size, time and provenance (the
     * earlier provenance when the new push attached none). Any other push is added after the others, as
     * {@code image-N} for the N-th image.
     *
     * @param provenance the provenance attached to it, or {@code null}
     */
    public BuildFacts withPush(String repository, List<String> tags, String digest, Long size, Instant pushedAt,
            ProvenanceView provenance) {
        List<ImageView> all = new ArrayList<>(images);
        for (int i = 0; i < all.size(); i++) {
            ImageView earlier = all.get(i);
            if (earlier.repository().equals(repository) && earlier.digest().equals(digest)) {
                Set<String> allTags = new LinkedHashSet<>(earlier.tags());
                allTags.addAll(ModelChecks.list(tags));
                all.set(i, new ImageView(earlier.id(), repository, List.copyOf(allTags), digest, size, pushedAt,
                        provenance != null ? provenance : earlier.provenance()));
                return new BuildFacts(VERSION, all, promotions, rollouts, rollbacks);
            }
        }
        all.add(new ImageView("image-" + (all.size() + 1), repository, tags, digest, size, pushedAt, provenance));
        return new BuildFacts(VERSION, all, promotions, rollouts, rollbacks);
    }

    public Optional<PromotionRecord> promotion(String id) {
        return promotions.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Adds the promotion, or replaces the one with its id. */
    public BuildFacts withPromotion(PromotionRecord promotion) {
        return new BuildFacts(VERSION, images, upsert(promotions, promotion, PromotionRecord::id), rollouts, rollbacks);
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
        return new BuildFacts(VERSION, images, promotions, upsert(rollouts, rollout, RolloutView::id), rollbacks);
    }

    public BuildFacts withRollback(RollbackView rollback) {
        List<RollbackView> all = new ArrayList<>(rollbacks);
        all.add(rollback);
        return new BuildFacts(VERSION, images, promotions, rollouts, all);
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
