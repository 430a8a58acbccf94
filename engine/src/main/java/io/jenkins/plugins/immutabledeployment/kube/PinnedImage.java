package io.jenkins.plugins.immutabledeployment.kube;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image reference pinned by digest, {@code NAME@sha256:HEX}, exactly as it is written into a pod spec.
 * {@code name} is everything before the {@code @} (repository, optionally with a tag, which the cluster ignores
 * once a digest is given). The full reference grammar lives in the {@code oci} package; the cluster only needs
 * the string and its digest.
 */
public record PinnedImage(String name, Digest digest) {

    public static final String ACCEPTED_FORM = "REPOSITORY@sha256:<64 hex>, e.g. registry.example.com/shop/api@sha256:…";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._:/-]*");

    public PinnedImage {
        Objects.requireNonNull(digest, "digest");
        if (name == null || !NAME.matcher(name).matches() || name.endsWith(":") || name.endsWith("/")) {
            throw new InvalidInputException("image", "\"" + name + "\" is not an image repository", ACCEPTED_FORM);
        }
    }

    /** Parses {@code NAME@ALGORITHM:HEX}; {@code field} names the input in the error message. */
    public static PinnedImage parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is empty", ACCEPTED_FORM);
        }
        int at = text.lastIndexOf('@');
        if (at <= 0) {
            throw new InvalidInputException(field, "\"" + text + "\" is not pinned by digest", ACCEPTED_FORM);
        }
        try {
            return new PinnedImage(text.substring(0, at), Digest.parse(text.substring(at + 1), field));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(field, "\"" + text + "\" is not a digest-pinned image reference", ACCEPTED_FORM);
        }
    }

    @JsonCreator
    static PinnedImage fromJson(String text) {
        return parse(text, "image");
    }

    /** {@code NAME@sha256:HEX}. */
    @JsonValue
    public String reference() {
        return name + "@" + digest;
    }

    @Override
    public String toString() {
        return reference();
    }
}
