package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * One image a build pushed, with the provenance attached to it.
 *
 * @param id unique within the document ({@code image-1}, {@code image-2}, … in the order of the pushes); promotions
 *     and rollouts name the image they used by it ({@code imageId})
 * @param repository where it was pushed, e.g. {@code registry.example.com/shop/api}
 * @param tags tags pointing at the digest in that repository (labels only; the digest is the identity)
 * @param digest {@code sha256:<hex>} of the manifest, computed by this product
 * @param size total bytes of manifest, config and layers, or {@code null} if unknown
 * @param pushedAt when the manifest was written, or {@code null}
 * @param provenance the provenance attached to it, or {@code null} when none was recorded
 */
public record ImageView(
        String id, String repository, List<String> tags, String digest, Long size, Instant pushedAt, ProvenanceView provenance) {

    public ImageView {
        ModelChecks.required(id, "images.id");
        ModelChecks.required(repository, "images.repository");
        tags = ModelChecks.list(tags);
        digest = ModelChecks.digest(ModelChecks.required(digest, "images.digest"), "images.digest");
    }

    public ImageView withProvenance(ProvenanceView newProvenance) {
        return new ImageView(id, repository, tags, digest, size, pushedAt, newProvenance);
    }

    /** {@code repository@digest}: the image as every other place in the product names it. */
    @JsonIgnore
    public String pinned() {
        return repository + "@" + digest;
    }
}
