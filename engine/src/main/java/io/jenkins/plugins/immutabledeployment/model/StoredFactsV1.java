package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;

/**
 * Reads the build facts that version 1 of this code stored (in every build recorded before several images per build)
 * as version 2 would record them, so that those builds load and render as they always did:
 * <ul>
 *   <li>its one {@code image}, with its one {@code provenance} inside, becomes {@code images[0]}, id {@code image-1};
 *   <li>a promotion's {@code to}, then the target as asked ({@code registry/prod/api:release-1}, or the repository
 *       alone), becomes the target pinned to its source's digest with the tag in {@code tag}, as a promotion records
 *       it now (the copy was checked to have the source's digest);
 *   <li>a rollout without {@code image} (it meant "the document's image") names that image.
 * </ul>
 * A {@code provenance} without an {@code image} was never written (both were recorded together) and is not kept.
 */
final class StoredFactsV1 {

    private StoredFactsV1() {}

    /** The version 1 facts {@code stored} as version 2 facts; {@code stored} itself is left as it is. */
    static ObjectNode upgrade(ObjectNode stored) {
        ObjectNode facts = stored.deepCopy();
        JsonNode image = facts.remove("image");
        JsonNode provenance = facts.remove("provenance");
        String pinned = null;
        if (image instanceof ObjectNode only) {
            ObjectNode first = facts.objectNode().put("id", "image-1");
            first.setAll(only);
            if (provenance instanceof ObjectNode) {
                first.set("provenance", provenance);
            }
            facts.putArray("images").add(first);
            pinned = only.path("repository").asText() + "@" + only.path("digest").asText();
        }
        for (JsonNode promotion : facts.path("promotions")) {
            if (promotion.path("view") instanceof ObjectNode view) {
                pinTarget(view);
            }
        }
        for (JsonNode rollout : facts.path("rollouts")) {
            if (rollout instanceof ObjectNode r && pinned != null && !r.hasNonNull("image")) {
                r.put("image", pinned);
            }
        }
        facts.put("version", 2);
        return facts;
    }

    /** A target this code could not have written is kept as it was: old builds must load, whatever they hold. */
    private static void pinTarget(ObjectNode view) {
        try {
            PromotionTarget target = PromotionTarget.of(view.path("from").asText(), view.path("to").asText());
            view.put("to", target.pinned());
            if (target.tag() != null) {
                view.put("tag", target.tag());
            }
        } catch (InvalidInputException e) {
            // left as stored
        }
    }
}
