package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * This project's promotion predicate ({@value #PREDICATE_TYPE}): an image digest was promoted to a stage,
 * copied from one repository to another unchanged, possibly after a person approved it. The statement's
 * subject is the promoted digest, so the registry itself carries the promotion history of an image.
 *
 * @param stage the stage promoted to, e.g. {@code staging} or {@code production}; what {@code requirePromotedTo} checks
 * @param from the source, digest-pinned: {@code REGISTRY/REPOSITORY@sha256:<hex>}
 * @param to the target repository, with the tag written there if any
 * @param resolvedFrom the tag reference the user gave when it was pinned to {@code from} by resolving it; else {@code null}
 * @param approval who approved, when, with what comment; {@code null} when no approval was asked for
 * @param buildUrl the build that promoted; {@code null} when promoted outside a CI build
 * @param promotedAt when the promotion completed
 */
public record PromotionPredicate(
        String stage,
        String from,
        String to,
        String resolvedFrom,
        Approval approval,
        String buildUrl,
        Instant promotedAt) implements Predicate {

    public static final String PREDICATE_TYPE = "https://jenkins.io/plugins/immutable-deployment/promotion/v1";

    private static final Pattern STAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public PromotionPredicate {
        if (stage == null || !STAGE.matcher(stage).matches()) {
            throw new InvalidInputException("stage", "\"" + stage + "\" is not a stage name",
                    "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        pinnedDigest(from);
        requireReference(to, "to");
        if (resolvedFrom != null) {
            requireReference(resolvedFrom, "resolvedFrom");
        }
        if (buildUrl != null) {
            buildUrl = RecordedText.webUrl(buildUrl, "buildUrl", "the absolute URL of the build that promoted");
        }
        if (promotedAt == null) {
            throw new InvalidInputException("promotedAt", "is missing", "an instant");
        }
    }

    /** A promotion without approval, resolved tag or build URL; add those with the {@code with…} methods. */
    public static PromotionPredicate of(String stage, String from, String to, Instant promotedAt) {
        return new PromotionPredicate(stage, from, to, null, null, null, promotedAt);
    }

    public PromotionPredicate withApproval(Approval approval) {
        return new PromotionPredicate(stage, from, to, resolvedFrom, approval, buildUrl, promotedAt);
    }

    public PromotionPredicate withBuildUrl(String buildUrl) {
        return new PromotionPredicate(stage, from, to, resolvedFrom, approval, buildUrl, promotedAt);
    }

    public PromotionPredicate withResolvedFrom(String tagReference) {
        return new PromotionPredicate(stage, from, to, tagReference, approval, buildUrl, promotedAt);
    }

    @Override
    public String predicateType() {
        return PREDICATE_TYPE;
    }

    /** The digest {@code from} is pinned to. */
    public Digest fromDigest() {
        return pinnedDigest(from);
    }

    /** The promotion statement about {@code imageName} (usually the target repository) at {@code digest}. */
    public Statement toStatement(String imageName, Digest digest) {
        if (!fromDigest().equals(digest)) {
            throw new InvalidInputException(
                    "from", "is pinned to " + fromDigest() + " but the promoted digest is " + digest, "the same digest");
        }
        return Statement.aboutImage(imageName, digest, this);
    }

    /**
     * @param approver the identity of the person who approved (a Jenkins user id, an e-mail address)
     * @param approvedAt when they approved
     * @param comment what they wrote, if anything
     */
    public record Approval(String approver, Instant approvedAt, String comment) {

        public Approval {
            if (approver == null || approver.isBlank()) {
                throw new InvalidInputException("approver", "is empty", "the identity of the person who approved");
            }
            if (approvedAt == null) {
                throw new InvalidInputException("approvedAt", "is missing", "an instant");
            }
            if (comment != null && comment.isBlank()) {
                comment = null;
            }
            RecordedText.bounded(approver, "approver", RecordedText.APPROVER_MAX);
            RecordedText.bounded(comment, "approvalComment", RecordedText.COMMENT_MAX);
        }
    }

    private static Digest pinnedDigest(String reference) {
        String accepted = "REGISTRY/REPOSITORY@sha256:<64 hex>";
        requireReference(reference, "from");
        int at = reference.lastIndexOf('@');
        if (at <= 0) {
            throw new InvalidInputException("from", "\"" + reference + "\" is not pinned by digest", accepted);
        }
        try {
            return Digest.parse(reference.substring(at + 1), "from");
        } catch (InvalidInputException e) {
            throw new InvalidInputException("from", "\"" + reference + "\" has no valid digest", accepted);
        }
    }

    private static void requireReference(String reference, String field) {
        if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException(field, "\"" + reference + "\" is not an image reference", "REGISTRY/REPOSITORY[:TAG]");
        }
    }
}
