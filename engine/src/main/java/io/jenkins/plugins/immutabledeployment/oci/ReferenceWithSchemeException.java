package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;

/**
 * An image reference written as a URL ({@code http://host/repo}). References have no scheme; whether the registry
 * is reached over http or https is a setting of its own, which each front end names in its words.
 */
public class ReferenceWithSchemeException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    private final String scheme;

    ReferenceWithSchemeException(String field, String text, String scheme, String withoutScheme) {
        super(field, "\"" + text + "\" starts with " + scheme + "://; a reference has no scheme: " + withoutScheme,
                ImageRef.ACCEPTED_FORM);
        this.scheme = scheme;
    }

    /** The scheme written, lower case: {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }
}
