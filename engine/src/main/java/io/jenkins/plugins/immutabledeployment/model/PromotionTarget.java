package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.oci.ImageRef;

/**
 * Where a promotion copies to, named as every other place in the product names an image: pinned by digest
 * ({@code registry.example.com/shop-prod/api@sha256:…}), with the tag written there beside it. A promotion copies the
 * same bytes, so the target's digest is the source's.
 *
 * @param pinned {@code repository@sha256:…}
 * @param tag the tag written there, or {@code null}
 */
record PromotionTarget(String pinned, String tag) {

    /**
     * @param from the source, digest-pinned
     * @param to the target as asked: the repository, with the tag to write if any
     */
    static PromotionTarget of(String from, String to) {
        ImageRef source = ImageRef.parse(from, "from");
        ImageRef target = ImageRef.parse(to, "to");
        return new PromotionTarget(target.name() + "@" + (target.digest() != null ? target.digest() : source.requireDigest("from")),
                target.tag());
    }
}
