package io.jenkins.plugins.immutabledeployment.model;

import static io.jenkins.plugins.immutabledeployment.build.StepParameters.flag;
import static io.jenkins.plugins.immutabledeployment.build.StepParameters.only;
import static io.jenkins.plugins.immutabledeployment.build.StepParameters.text;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.build.StepParameters;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import io.jenkins.plugins.immutabledeployment.rollout.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checked inputs of one {@code promote}: what is copied where, under which stage name, after which gates and
 * whose approval. Everything is checked here, before a registry is contacted or anyone is asked.
 *
 * @param source the image to promote; pinned by digest unless {@code resolve}
 * @param resolve whether a tag-only {@code source} is pinned once by resolving it
 * @param target {@code REPO[:TAG]} to copy to
 * @param stage the stage the promotion records
 * @param requireProvenance whether an attestation must exist (and verify with {@code publicKey} when given)
 * @param publicKey PEM of the key provenance must be signed with, or {@code null}
 * @param requirePromotedTo a stage the image must have been promoted to before, or {@code null}
 * @param approval the approval to wait for, or {@code null}
 */
public record PromotionRequest(
        ImageRef source, boolean resolve, ImageRef target, String stage, boolean requireProvenance, String publicKey,
        String requirePromotedTo, Approval approval) {

    public static final List<String> PARAMETERS = List.of(
            "image", "to", "tag", "resolve", "stage", "requireProvenance", "publicKey", "requirePromotedTo", "approval");
    public static final String STAGE_FORM = "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. production";

    private static final Pattern STAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final List<String> APPROVAL_KEYS = List.of("submitters", "message", "timeout");

    public PromotionRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(stage, "stage");
    }

    /**
     * What a promotion waits for.
     *
     * @param submitters who may decide
     * @param prompt the question shown to them
     * @param timeout how long they have, or {@code null}: as long as the build runs
     */
    public record Approval(Submitters submitters, String prompt, Duration timeout) {}

    /**
     * Checks the step's parameters ({@link #PARAMETERS}; absent or {@code null} means not given; {@code approval}
     * is a map of {@code submitters}, {@code message}, {@code timeout}).
     */
    public static PromotionRequest parse(Map<String, ?> parameters) {
        only(parameters, PARAMETERS, "promote");
        String image = text(parameters, "image");
        if (image == null) {
            throw new InvalidInputException("image", "is missing", "the image to promote, REPO@sha256:<64 hex>");
        }
        boolean resolve = flag(parameters, "resolve");
        ImageRef source = ImageRef.parse(image, "image");
        if (!resolve) {
            source.requireDigest("image");
        }
        String to = text(parameters, "to");
        if (to == null) {
            throw new InvalidInputException("to", "is missing", "the repository to promote to, REPO[:TAG]");
        }
        ImageRef target = ImageRef.parse(to, "to");
        if (target.digest() != null) {
            throw new InvalidInputException("to", "\"" + to + "\" has a digest, but a promotion keeps the source's digest", "REPO[:TAG]");
        }
        target = StepParameters.withTag(target, text(parameters, "tag"), "to");
        String stage = text(parameters, "stage");
        stage = stage == null ? defaultStage(target) : stage;
        if (!STAGE.matcher(stage).matches()) {
            throw new InvalidInputException("stage", "\"" + stage + "\" is not a stage name", STAGE_FORM);
        }
        String publicKey = text(parameters, "publicKey");
        if (publicKey != null) {
            VerificationKey.fromPem(publicKey, "publicKey");
        }
        String requirePromotedTo = text(parameters, "requirePromotedTo");
        if (requirePromotedTo != null && !STAGE.matcher(requirePromotedTo).matches()) {
            throw new InvalidInputException("requirePromotedTo", "\"" + requirePromotedTo + "\" is not a stage name", STAGE_FORM);
        }
        return new PromotionRequest(source, resolve, target, stage, flag(parameters, "requireProvenance"), publicKey,
                requirePromotedTo, approval(parameters.get("approval"), source, target));
    }

    /** Whether it asks for a policy gate to be checked before the copy. */
    public boolean hasGates() {
        return requireProvenance || publicKey != null || requirePromotedTo != null;
    }

    /**
     * The stage recorded when none is given: the target's repository path with '.' for '/', e.g. {@code shop-prod.api}
     * for {@code registry.example.com/shop-prod/api}, cut to the 63 characters a stage name may have.
     */
    static String defaultStage(ImageRef target) {
        String path = target.repository().replace('/', '.');
        return path.length() <= 63 ? path : path.substring(path.length() - 63).replaceFirst("^[._-]+", "");
    }

    private static Approval approval(Object value, ImageRef source, ImageRef target) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException("approval", "is not a map", "[submitters: 'alice,release-managers', message: '…', timeout: '24h']");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> approval = (Map<String, ?>) map;
        only(approval, APPROVAL_KEYS, "approval");
        Submitters submitters = Submitters.parse(text(approval, "submitters", "approval.submitters"), "approval.submitters");
        String timeout = text(approval, "timeout", "approval.timeout");
        String message = text(approval, "message", "approval.message");
        return new Approval(submitters, message != null ? message : "Promote " + source + " to " + target + "?",
                timeout == null ? null : positive(Durations.parse(timeout, "approval.timeout")));
    }

    private static Duration positive(Duration timeout) {
        if (timeout.isZero()) {
            throw new InvalidInputException("approval.timeout", "is zero", "a positive " + Durations.ACCEPTED_FORM);
        }
        return timeout;
    }
}
