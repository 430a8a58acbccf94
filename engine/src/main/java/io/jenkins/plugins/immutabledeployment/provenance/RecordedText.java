package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;

/**
 * Limits on the free text recorded into signed attestations, which are public and read by people and tools:
 * each field has a maximum length, and URLs are {@code http(s)} (or a {@code urn:} name), never
 * {@code javascript:}, {@code data:}, {@code file:} or other schemes a viewer might act on.
 */
final class RecordedText {

    /** Build URL and builder id. */
    static final int URL_MAX = 2048;
    /** The job's full name. */
    static final int JOB_MAX = 512;
    /** Who approved a promotion. */
    static final int APPROVER_MAX = 256;
    /** An approval comment. */
    static final int COMMENT_MAX = 4096;

    private RecordedText() {}

    /** {@code value} if it is at most {@code max} characters; else refused as bad input for {@code field}. */
    static String bounded(String value, String field, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInputException(field, "is " + value.length() + " characters long, more than the " + max
                    + " recorded", "at most " + max + " characters");
        }
        return value;
    }

    /** An absolute {@code http(s)://} URL or {@code urn:} name of at most {@link #URL_MAX} characters. */
    static String webUrl(String value, String field, String acceptedForm) {
        String accepted = acceptedForm + " (http, https or urn, at most " + URL_MAX + " characters)";
        bounded(value, field, URL_MAX);
        String uri = Uris.absolute(value, field, accepted);
        String scheme = uri.substring(0, uri.indexOf(':'));
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("urn")) {
            // Not quoted: a URL may carry anything.
            throw new InvalidInputException(field, "has the scheme \"" + scheme + ":\", which is not recorded", accepted);
        }
        return uri;
    }
}
