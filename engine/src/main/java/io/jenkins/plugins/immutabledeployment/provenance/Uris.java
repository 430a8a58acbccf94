package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URIs that go into attestations. Attestations are public, so user information ({@code user:token@}) is
 * always removed, and a URI that cannot be parsed is refused without quoting it (it may hold a password).
 */
final class Uris {

    /** {@code [user@]host:path}, the scp-like syntax git accepts for ssh remotes. */
    private static final Pattern SCP_LIKE = Pattern.compile("(?:[^@/:]+@)?([^@/:]+):(?!//)(.+)");

    private Uris() {}

    /** An absolute URI ({@code scheme:...}) without user information. */
    static String absolute(String value, String field, String acceptedForm) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is empty", acceptedForm);
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, "is not a valid URI", acceptedForm);
        }
        if (!uri.isAbsolute()) {
            throw new InvalidInputException(field, "is not an absolute URI", acceptedForm);
        }
        return withoutUserInfo(uri);
    }

    /**
     * A git repository location as a URI without user information: URIs as they are, scp-like
     * {@code git@host:org/repo.git} as {@code ssh://host/org/repo.git}, absolute paths as {@code file://}.
     */
    static String gitRepository(String value, String field) {
        String accepted = "a repository URI (https://host/org/repo.git, ssh://host/org/repo.git, git@host:org/repo.git)";
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is empty", accepted);
        }
        String text = value.strip();
        Matcher scp = SCP_LIKE.matcher(text);
        if (!text.contains("://") && scp.matches()) {
            text = "ssh://" + scp.group(1) + "/" + scp.group(2);
        } else if (text.startsWith("/")) {
            text = "file://" + text;
        }
        return absolute(text, field, accepted);
    }

    /** The URI without user information, scheme and authority in lowercase (RFC 3986 case normalization). */
    private static String withoutUserInfo(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String authority = uri.getRawAuthority();
        if (authority == null) {
            // no authority (urn:, pkg:, file:///x): nothing that could hold credentials
            return scheme + uri.toString().substring(scheme.length());
        }
        // getRawAuthority, not getHost: a registry-based authority (host_name) has no parsed host or user info
        StringBuilder clean = new StringBuilder(scheme)
                .append("://")
                .append(authority.substring(authority.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT))
                .append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            clean.append('?').append(uri.getRawQuery());
        }
        if (uri.getRawFragment() != null) {
            clean.append('#').append(uri.getRawFragment());
        }
        return clean.toString();
    }
}
