package io.jenkins.plugins.immutabledeployment.model;

import java.time.Instant;

/**
 * One promotion of the image to a stage: the same bytes copied from one repository to another.
 *
 * @param id unique within the document; actions refer to it as {@code promotionId}
 * @param stage the stage promoted to, e.g. {@code staging}, {@code prod}
 * @param imageId the id of the document's image that was promoted (the one with {@code from}'s digest), or
 *     {@code null} when it is not one this build pushed; the build's facts leave it out, {@link ModelAssembler} fills it
 * @param from the source reference, digest-pinned
 * @param resolvedFrom the tag reference {@code from} was resolved from, when a tag was given and resolved once;
 *     {@code null} when the source was given by digest
 * @param to the target, pinned by digest: {@code repository@sha256:…} (a promotion copies the same bytes, so the
 *     source's digest)
 * @param tag the tag written in the target repository, or {@code null} when none was
 * @param state where the promotion stands
 * @param message the approval prompt, or what went wrong; {@code null} if none
 * @param requestedAt when approval was requested, or {@code null} if none was needed
 * @param approver who approved, or {@code null}
 * @param approvedAt when it was approved, or {@code null}
 * @param rejectedBy who rejected, or {@code null}
 * @param rejectedAt when it was rejected, or {@code null}
 * @param comment the approver's or rejecter's comment, or {@code null}
 * @param promotedAt when the copy was verified complete, or {@code null}
 * @param buildUrl the build that ran the promotion, or {@code null}
 * @param verifiedProvenance the provenance attestation ({@code sha256:…}) whose signature the promotion verified with a
 *     public key before it copied ({@code requireProvenance} with {@code publicKey}), or {@code null} when none was
 */
public record PromotionView(
        String id,
        String stage,
        String imageId,
        String from,
        String resolvedFrom,
        String to,
        String tag,
        PromotionState state,
        String message,
        Instant requestedAt,
        String approver,
        Instant approvedAt,
        String rejectedBy,
        Instant rejectedAt,
        String comment,
        Instant promotedAt,
        String buildUrl,
        String verifiedProvenance) {

    public PromotionView {
        ModelChecks.required(id, "promotions.id");
        ModelChecks.required(stage, "promotions.stage");
        ModelChecks.required(from, "promotions.from");
        ModelChecks.required(to, "promotions.to");
        ModelChecks.required(state, "promotions.state", "one of awaitingApproval, promoting, promoted, rejected, failed");
        verifiedProvenance = ModelChecks.digest(verifiedProvenance, "promotions.verifiedProvenance");
    }

    /** @param to the target pinned by digest; see {@link Builder#tag} for the tag written there */
    public static Builder builder(String id, String stage, String from, String to) {
        return new Builder(id, stage, from, to);
    }

    /** This promotion naming the document's image it promoted ({@code null}: none of them). */
    public PromotionView withImageId(String newImageId) {
        return new PromotionView(id, stage, newImageId, from, resolvedFrom, to, tag, state, message, requestedAt, approver,
                approvedAt, rejectedBy, rejectedAt, comment, promotedAt, buildUrl, verifiedProvenance);
    }

    /** Starts in {@link PromotionState#PROMOTING}; the methods below move it on as the facts say. */
    public static final class Builder {
        private final String id;
        private final String stage;
        private final String from;
        private final String to;
        private String tag;
        private String resolvedFrom;
        private PromotionState state = PromotionState.PROMOTING;
        private String message;
        private Instant requestedAt;
        private String approver;
        private Instant approvedAt;
        private String rejectedBy;
        private Instant rejectedAt;
        private String comment;
        private Instant promotedAt;
        private String buildUrl;
        private String verifiedProvenance;

        private Builder(String id, String stage, String from, String to) {
            this.id = id;
            this.stage = stage;
            this.from = from;
            this.to = to;
        }

        /** The tag reference {@code from} was resolved from; {@code null} when it was given by digest. */
        public Builder resolvedFrom(String tagReference) {
            this.resolvedFrom = tagReference;
            return this;
        }

        /** The tag written in the target repository; {@code null} when none is. */
        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        public Builder awaitingApproval(Instant requestedAt, String prompt) {
            this.state = PromotionState.AWAITING_APPROVAL;
            this.requestedAt = requestedAt;
            this.message = prompt;
            return this;
        }

        public Builder approved(String approver, Instant approvedAt, String comment) {
            this.state = PromotionState.PROMOTING;
            this.approver = approver;
            this.approvedAt = approvedAt;
            this.comment = comment;
            return this;
        }

        public Builder rejected(String rejectedBy, Instant rejectedAt, String comment) {
            this.state = PromotionState.REJECTED;
            this.rejectedBy = rejectedBy;
            this.rejectedAt = rejectedAt;
            this.comment = comment;
            return this;
        }

        public Builder promoted(Instant promotedAt) {
            this.state = PromotionState.PROMOTED;
            this.promotedAt = promotedAt;
            return this;
        }

        public Builder failed(String message) {
            this.state = PromotionState.FAILED;
            this.message = message;
            return this;
        }

        public Builder buildUrl(String buildUrl) {
            this.buildUrl = buildUrl;
            return this;
        }

        /** The provenance attestation whose signature the promotion verified with a public key. */
        public Builder verifiedProvenance(String attestationDigest) {
            this.verifiedProvenance = attestationDigest;
            return this;
        }

        public PromotionView build() {
            return new PromotionView(id, stage, null, from, resolvedFrom, to, tag, state, message, requestedAt, approver,
                    approvedAt, rejectedBy, rejectedAt, comment, promotedAt, buildUrl, verifiedProvenance);
        }
    }
}
