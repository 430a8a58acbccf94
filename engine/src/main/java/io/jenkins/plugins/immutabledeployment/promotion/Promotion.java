package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A request to promote an image: the same bytes, by digest, into the next stage's repository. Checked when made:
 * a bad request is refused as bad input before anything is read or written.
 *
 * @param image the source; must be pinned by digest unless {@code resolve} is set
 * @param resolve pin a tag-only {@code image} by resolving it once; the tag is recorded as {@code resolvedFrom}
 * @param resolvedFrom the tag reference a pinned {@code image} was resolved from earlier ({@link #pinnedTo}: by
 *     {@link Promoter#check}, before an approval was asked for), recorded in the promotion attestation; {@code null}
 *     when {@code image} was given pinned or is still to be resolved
 * @param target {@code REPO[:TAG]}, in the same or another registry
 * @param stage the stage promoted to, recorded in the promotion attestation (what {@code requirePromotedTo} checks)
 * @param approval who approved, when, with what comment; {@code null} when no approval was asked for
 * @param buildUrl the build that promotes; {@code null} outside CI
 * @param signingKey signs the promotion attestation; {@code null} leaves it unsigned
 * @param gates checked before anything is written
 * @param tagPolicy whether an existing target tag may be moved (default {@link TagPolicy#IMMUTABLE})
 */
public record Promotion(
        ImageRef image,
        boolean resolve,
        ImageRef resolvedFrom,
        ImageRef target,
        String stage,
        PromotionPredicate.Approval approval,
        String buildUrl,
        SigningKey signingKey,
        PromotionGates gates,
        TagPolicy tagPolicy) {

    private static final String SAMPLE_DIGEST = "sha256:" + "0".repeat(64);

    public Promotion {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(target, "target");
        if (image.digest() == null && !resolve) {
            throw new InvalidInputException("image", "\"" + image + "\" is not pinned by digest (a tag can move; a"
                    + " promotion moves exact bytes)", "REPO@sha256:<64 hex>, or ask to resolve the tag once (resolve)");
        }
        if (resolvedFrom != null && (image.digest() == null || resolvedFrom.digest() != null
                || !resolvedFrom.name().equals(image.name()))) {
            throw new InvalidInputException("resolvedFrom", "\"" + resolvedFrom + "\" is not the tag that \"" + image
                    + "\" was resolved from", "REPO[:TAG] of the same repository as the pinned image");
        }
        if (target.digest() != null) {
            throw new InvalidInputException(
                    "to", "\"" + target + "\" has a digest, but a promotion keeps the source's digest", "REPO[:TAG]");
        }
        checkStage(stage, "stage");
        // buildUrl is checked by the rules of the promotion predicate it goes into
        PromotionPredicate.of(stage, image.name() + "@" + SAMPLE_DIGEST, target.toString(), Instant.EPOCH)
                .withBuildUrl(buildUrl);
        gates = gates == null ? PromotionGates.NONE : gates;
        tagPolicy = tagPolicy == null ? TagPolicy.IMMUTABLE : tagPolicy;
    }

    /** A promotion of {@code image} to {@code target} as {@code stage}: no approval, gates, key or build URL yet. */
    public static Promotion of(ImageRef image, ImageRef target, String stage) {
        return new Promotion(image, false, null, target, stage, null, null, null, null, null);
    }

    /** As {@link #of}, resolving a tag-only {@code image} once. */
    public static Promotion resolving(ImageRef image, ImageRef target, String stage) {
        return new Promotion(image, true, null, target, stage, null, null, null, null, null);
    }

    /**
     * This promotion with its source pinned to {@code digest}: a tag-only image becomes {@code REPO@digest} and the
     * tag is kept as {@code resolvedFrom}, so that a promotion made later (after an approval, after a restart)
     * copies the bytes the tag named when it was resolved, and says so. A pinned image stays as it is.
     *
     * @throws IllegalArgumentException the image is pinned to another digest
     */
    public Promotion pinnedTo(Digest digest) {
        Objects.requireNonNull(digest, "digest");
        if (image.digest() != null) {
            if (!image.digest().equals(digest)) {
                throw new IllegalArgumentException(image + " is not pinned to " + digest);
            }
            return this;
        }
        return new Promotion(image.withTag(null).withDigest(digest), resolve, image, target, stage, approval, buildUrl,
                signingKey, gates, tagPolicy);
    }

    public Promotion withApproval(PromotionPredicate.Approval newApproval) {
        return new Promotion(image, resolve, resolvedFrom, target, stage, newApproval, buildUrl, signingKey, gates, tagPolicy);
    }

    public Promotion withBuildUrl(String newBuildUrl) {
        return new Promotion(image, resolve, resolvedFrom, target, stage, approval, newBuildUrl, signingKey, gates, tagPolicy);
    }

    public Promotion withSigningKey(SigningKey newSigningKey) {
        return new Promotion(image, resolve, resolvedFrom, target, stage, approval, buildUrl, newSigningKey, gates, tagPolicy);
    }

    public Promotion withGates(PromotionGates newGates) {
        return new Promotion(image, resolve, resolvedFrom, target, stage, approval, buildUrl, signingKey, newGates, tagPolicy);
    }

    public Promotion withTagPolicy(TagPolicy newTagPolicy) {
        return new Promotion(image, resolve, resolvedFrom, target, stage, approval, buildUrl, signingKey, gates, newTagPolicy);
    }

    /**
     * The stage name used when none is given: the target repository's path with {@code /} as {@code .}
     * ({@code shop-prod/api} gives {@code shop-prod.api}), at most 63 characters.
     */
    public static String defaultStage(ImageRef target) {
        String stage = target.repository().replace('/', '.');
        return stage.length() > 63 ? stage.substring(0, 63) : stage;
    }

    /** Refuses what is not a stage name, with the promotion predicate's rule, as bad input for {@code field}. */
    static void checkStage(String stage, String field) {
        try {
            PromotionPredicate.of(stage, "x@" + SAMPLE_DIGEST, "x", Instant.EPOCH);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(field, "\"" + stage + "\" is not a stage name",
                    "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
