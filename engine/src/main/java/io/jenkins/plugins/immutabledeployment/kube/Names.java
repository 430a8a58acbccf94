package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.regex.Pattern;

/** Validation of Kubernetes object names given as input: what the steps, the CLI and the forms accept. */
public final class Names {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private Names() {}

    /** A DNS-1123 label: namespaces, container names, Service names. */
    public static String requireLabel(String field, String value) {
        if (value == null || value.length() > 63 || !DNS_LABEL.matcher(value).matches()) {
            throw new InvalidInputException(field, "\"" + value + "\" is not a valid name",
                    "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters");
        }
        return value;
    }

    /** A DNS-1123 subdomain of at most 253 characters: most object names (an HTTPRoute's, a ConfigMap's). */
    public static String requireObjectName(String field, String value) {
        return requireSubdomain(field, value, 253);
    }

    /** A DNS-1123 subdomain of at most {@code max} characters: most object names. */
    public static String requireSubdomain(String field, String value, int max) {
        if (value == null || value.length() > max || !DNS_SUBDOMAIN.matcher(value).matches()) {
            throw new InvalidInputException(field, "\"" + value + "\" is not a valid name",
                    "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most "
                            + max + " characters");
        }
        return value;
    }
}
