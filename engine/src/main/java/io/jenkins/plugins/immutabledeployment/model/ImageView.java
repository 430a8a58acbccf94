package io.jenkins.plugins.immutabledeployment.model;

import java.time.Instant;
import java.util.List;

/**
 * The image a build produced.
 *
 * @param repository where it was pushed, e.g. {@code registry.example.com/shop/api}
 * @param tags tags pointing at the digest in that repository (labels only; the digest is the identity)
 * @param digest {@code sha256:<hex>} of the manifest, computed by this product
 * @param size total bytes of manifest, config and layers, or {@code null} if unknown
 * @param pushedAt when the manifest was written, or {@code null}
 */
public record ImageView(String repository, List<String> tags, String digest, Long size, Instant pushedAt) {

    public ImageView {
        ModelChecks.required(repository, "image.repository");
        tags = ModelChecks.list(tags);
        digest = ModelChecks.digest(ModelChecks.required(digest, "image.digest"), "image.digest");
    }
}
