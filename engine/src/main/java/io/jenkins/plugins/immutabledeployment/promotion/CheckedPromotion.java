package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.List;

/**
 * A promotion that {@link Promoter#check} found possible: its source pinned (a tag resolved once, kept as
 * {@code resolvedFrom}), present, passing the gates, and its target tag free under the tag policy. Nothing was
 * written. This is what an approval is asked for; {@link Promoter#promote} checks it all again when it copies.
 *
 * @param promotion the promotion, its source pinned by digest
 * @param gates the gates that passed
 */
public record CheckedPromotion(Promotion promotion, List<GateResult> gates) {

    public CheckedPromotion {
        promotion.image().requireDigest("image");
        gates = List.copyOf(gates);
    }

    /** The digest that is promoted. */
    public Digest digest() {
        return promotion.image().digest();
    }
}
