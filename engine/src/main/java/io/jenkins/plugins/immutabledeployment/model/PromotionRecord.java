package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.rollout.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A promotion as the build records it: what the build page shows ({@link #view()}) plus what deciding on it
 * needs (who may, until when). Its methods are the only ways a promotion moves on; each returns the new record
 * and refuses a move that the state does not allow.
 *
 * <pre>
 * awaitingApproval --approve--> promoting --promoted--> promoted
 *        |  \--reject--> rejected          \--failed--> failed
 *        \--expireIfDue / abandon--> failed
 * </pre>
 *
 * @param view what the build page shows
 * @param submitters who may decide, or empty when no approval was asked for
 * @param timeoutSeconds how long a decision may take, or {@code null} for as long as the build runs
 * @param deadline {@code requestedAt + timeout}, or {@code null}
 */
public record PromotionRecord(PromotionView view, List<String> submitters, Long timeoutSeconds, Instant deadline) {

    /** Longer comments are cut: a comment is a note, not a document. */
    public static final int COMMENT_MAX = 2000;

    public PromotionRecord {
        Objects.requireNonNull(view, "view");
        submitters = submitters == null ? List.of() : List.copyOf(submitters);
    }

    /**
     * A promotion that needs no approval: it is being copied.
     *
     * @param from the source, digest-pinned
     * @param to the target as asked, the repository with the tag to write if any: recorded pinned to {@code from}'s
     *     digest, the tag beside it ({@link PromotionView#to()}, {@link PromotionView#tag()})
     */
    public static PromotionRecord promoting(String id, String stage, String from, String to, String buildUrl) {
        return new PromotionRecord(started(id, stage, from, to).buildUrl(buildUrl).build(), List.of(), null, null);
    }

    /**
     * A promotion that waits for one of {@code submitters} to decide, for at most {@code timeout} (or {@code null}:
     * as long as the build runs); {@code from} and {@code to} as for {@link #promoting}.
     */
    public static PromotionRecord awaitingApproval(String id, String stage, String from, String to, String buildUrl,
            Submitters submitters, String prompt, Instant requestedAt, Duration timeout) {
        PromotionView view = started(id, stage, from, to)
                .awaitingApproval(Objects.requireNonNull(requestedAt, "requestedAt"), prompt)
                .buildUrl(buildUrl)
                .build();
        return new PromotionRecord(view, submitters.names(), timeout == null ? null : timeout.toSeconds(),
                timeout == null ? null : requestedAt.plus(timeout));
    }

    private static PromotionView.Builder started(String id, String stage, String from, String to) {
        PromotionTarget target = PromotionTarget.of(from, to);
        return PromotionView.builder(id, stage, from, target.pinned()).tag(target.tag());
    }

    /**
     * This promotion naming the tag its source was resolved from (a tag given with {@code resolve} and pinned once,
     * before anyone was asked), so that the build page says where the digest came from; {@code null} when the source
     * was given by digest.
     *
     * @throws IllegalArgumentException the tag is pinned itself, or is not of the source's repository
     */
    public PromotionRecord withResolvedFrom(ImageRef tag) {
        if (tag == null) {
            return this;
        }
        ImageRef source = ImageRef.parse(view.from(), "from");
        if (tag.digest() != null || !tag.name().equals(source.name())) {
            throw new IllegalArgumentException(tag + " is not a tag of " + source.name() + " that " + view.from()
                    + " could have been resolved from");
        }
        PromotionView v = view;
        return with(new PromotionView(v.id(), v.stage(), v.imageId(), v.from(), tag.toString(), v.to(), v.tag(), v.state(), v.message(),
                v.requestedAt(), v.approver(), v.approvedAt(), v.rejectedBy(), v.rejectedAt(), v.comment(), v.promotedAt(),
                v.buildUrl(), v.verifiedProvenance()));
    }

    public String id() {
        return view.id();
    }

    public PromotionState state() {
        return view.state();
    }

    public boolean awaitingApproval() {
        return view.state() == PromotionState.AWAITING_APPROVAL;
    }

    /** Whether {@code viewer} is one of its submitters and has the job's Build permission, whatever its state. */
    public boolean permits(Viewer viewer) {
        return !submitters.isEmpty() && new Submitters(submitters).permits(viewer);
    }

    /** Whether {@code viewer} may approve or reject it now. */
    public boolean mayBeDecidedBy(Viewer viewer) {
        return awaitingApproval() && permits(viewer);
    }

    /** How long the decision may still take, zero once the deadline has passed; empty without a deadline. */
    public Optional<Duration> remaining(Instant now) {
        if (deadline == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, deadline);
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    public PromotionRecord approve(String approver, Instant at, String comment) {
        requireAwaiting();
        PromotionView v = view;
        return with(new PromotionView(v.id(), v.stage(), v.imageId(), v.from(), v.resolvedFrom(), v.to(), v.tag(), PromotionState.PROMOTING,
                v.message(), v.requestedAt(), required(approver, "approver"), Objects.requireNonNull(at, "at"), null, null,
                comment(comment), null, v.buildUrl(), v.verifiedProvenance()));
    }

    public PromotionRecord reject(String rejectedBy, Instant at, String comment) {
        requireAwaiting();
        PromotionView v = view;
        return with(new PromotionView(v.id(), v.stage(), v.imageId(), v.from(), v.resolvedFrom(), v.to(), v.tag(), PromotionState.REJECTED,
                v.message(), v.requestedAt(), null, null, required(rejectedBy, "rejectedBy"), Objects.requireNonNull(at, "at"),
                comment(comment), null, v.buildUrl(), v.verifiedProvenance()));
    }

    /** Fails it if it still waits at its deadline; otherwise returns it unchanged. */
    public PromotionRecord expireIfDue(Instant now) {
        if (!awaitingApproval() || deadline == null || now.isBefore(deadline)) {
            return this;
        }
        return failedWith("No decision within " + Durations.format(Duration.ofSeconds(timeoutSeconds))
                + " (submitters: " + String.join(", ", submitters) + "); nothing was promoted");
    }

    /** The copy was verified complete; no provenance signature was verified before it. */
    public PromotionRecord promoted(Instant at) {
        return promoted(at, null);
    }

    /**
     * The copy was verified complete, after the signature of the provenance attestation {@code verifiedProvenance} was
     * verified with a public key ({@code null}: none was).
     */
    public PromotionRecord promoted(Instant at, Digest verifiedProvenance) {
        if (view.state() != PromotionState.PROMOTING) {
            throw new IllegalStateException(id() + " is " + view.state() + ", not promoting");
        }
        PromotionView v = view;
        return with(new PromotionView(v.id(), v.stage(), v.imageId(), v.from(), v.resolvedFrom(), v.to(), v.tag(), PromotionState.PROMOTED, null,
                v.requestedAt(), v.approver(), v.approvedAt(), null, null, v.comment(), Objects.requireNonNull(at, "at"),
                v.buildUrl(), verifiedProvenance == null ? null : verifiedProvenance.toString()));
    }

    /** The copy failed, or the build stopped while it waited or copied; a finished promotion stays as it is. */
    public PromotionRecord failed(String message) {
        if (view.state() != PromotionState.PROMOTING && view.state() != PromotionState.AWAITING_APPROVAL) {
            return this;
        }
        return failedWith(required(message, "message"));
    }

    /** Why the step fails, for a rejected or failed promotion; {@code null} otherwise. */
    public String failureMessage() {
        return switch (view.state()) {
            case REJECTED -> "The promotion of " + view.from() + " to " + view.to() + " ("
                    + (view.tag() == null ? "" : "tag " + view.tag() + ", ") + "stage " + view.stage() + ") was rejected by "
                    + view.rejectedBy() + (view.comment() == null ? "" : ": " + view.comment());
            case FAILED -> view.message();
            case AWAITING_APPROVAL, PROMOTING, PROMOTED -> null;
        };
    }

    /** Whether nothing will change it any more. */
    public boolean finished() {
        return switch (view.state()) {
            case PROMOTED, REJECTED, FAILED -> true;
            case AWAITING_APPROVAL, PROMOTING -> false;
        };
    }

    /**
     * What the {@code promote} step returns once it is promoted: {@code image} (the target pinned by digest),
     * {@code digest}, {@code repository}, {@code tag} (absent without one), {@code stage}, {@code resolvedFrom} (absent
     * when the source was given by digest), {@code approvedBy} (absent when no approval was asked for).
     */
    public Map<String, Object> stepResult() {
        if (view.state() != PromotionState.PROMOTED) {
            throw new IllegalStateException(id() + " is " + view.state() + ", not promoted");
        }
        ImageRef target = ImageRef.parse(view.to(), "to");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", view.to());
        result.put("digest", target.requireDigest("to").toString());
        result.put("repository", target.name());
        if (view.tag() != null) {
            result.put("tag", view.tag());
        }
        result.put("stage", view.stage());
        if (view.resolvedFrom() != null) {
            result.put("resolvedFrom", view.resolvedFrom());
        }
        if (view.approver() != null) {
            result.put("approvedBy", view.approver());
        }
        return result;
    }

    /** Trims a comment, drops an empty one and cuts a long one at {@link #COMMENT_MAX} characters. */
    static String comment(String comment) {
        if (comment == null || comment.isBlank()) {
            return null;
        }
        String text = comment.strip();
        return text.length() <= COMMENT_MAX ? text : text.substring(0, COMMENT_MAX) + "…";
    }

    private PromotionRecord failedWith(String message) {
        PromotionView v = view;
        return with(new PromotionView(v.id(), v.stage(), v.imageId(), v.from(), v.resolvedFrom(), v.to(), v.tag(), PromotionState.FAILED, message,
                v.requestedAt(), v.approver(), v.approvedAt(), v.rejectedBy(), v.rejectedAt(), v.comment(), null,
                v.buildUrl(), v.verifiedProvenance()));
    }

    private void requireAwaiting() {
        if (!awaitingApproval()) {
            throw new NotAwaitingApprovalException(id(), view.state());
        }
    }

    private PromotionRecord with(PromotionView newView) {
        return new PromotionRecord(newView, submitters, timeoutSeconds, deadline);
    }

    private static String required(String value, String field) {
        return ModelChecks.required(value, field);
    }
}
