package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.Collection;
import java.util.Optional;

/**
 * Tag names of the referrers tag schema (OCI distribution spec 1.1): the index tag {@code <alg>-<hex>} that lists
 * the referrers of a subject, and this product's entry tags {@code <alg>-<hex>.<16 hex of the referrer>}, one per
 * referrer, from which a lost index entry is recovered (see {@link ReferrersTagIndex}).
 */
final class ReferrersTag {

    /** Hex characters of the referrer's digest in an entry tag: 64 bits, unique among one subject's referrers. */
    static final int ENTRY_HEX = 16;

    private ReferrersTag() {}

    /** {@code sha256-<hex>}: the algorithm truncated to 32 and the hex to 64 characters, as the spec defines it. */
    static String index(Digest subject) {
        String algorithm = subject.algorithm().length() > 32 ? subject.algorithm().substring(0, 32) : subject.algorithm();
        String hex = subject.hex().length() > 64 ? subject.hex().substring(0, 64) : subject.hex();
        return (algorithm + "-" + hex).replaceAll("[^A-Za-z0-9_.-]", "-");
    }

    static String entry(Digest subject, Digest referrer) {
        return index(subject) + "." + referrer.hex().substring(0, ENTRY_HEX);
    }

    /** The referrer's hex prefix if {@code tag} is an entry tag of {@code subject}. */
    static Optional<String> entryPrefix(Digest subject, String tag) {
        String prefix = index(subject) + ".";
        if (!tag.startsWith(prefix) || tag.length() != prefix.length() + ENTRY_HEX) {
            return Optional.empty();
        }
        String hex = tag.substring(prefix.length());
        return hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && !Character.isUpperCase(c))
                ? Optional.of(hex) : Optional.empty();
    }

    /** Whether {@code tags} hold the index tag or an entry tag of {@code subject}. */
    static boolean anyOf(Digest subject, Collection<String> tags) {
        String index = index(subject);
        return tags.stream().anyMatch(tag -> tag.equals(index) || entryPrefix(subject, tag).isPresent());
    }
}
