package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A registry as configured by a person: {@code host[:port]} as image references name it, or an http(s) URL of its
 * root. The host is checked with the reference grammar ({@link ImageRef}), so a configured registry is one that
 * references can name.
 *
 * @param host {@code host[:port]}, lower-case, as in {@link ImageRef#registry()}
 */
public record RegistryAddress(String host) {

    public static final String ACCEPTED_FORM =
            "host[:port] or an http(s) URL of the registry's root, e.g. registry.example.com:5000 or https://registry.example.com";

    /**
     * @throws InvalidInputException naming {@code field}; never repeating user information a URL may carry
     */
    public static RegistryAddress parse(String text, String field) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty()) {
            throw new InvalidInputException(field, "is missing", ACCEPTED_FORM);
        }
        String authority = value.contains("://") ? authority(value, field) : value;
        if (authority.contains("/")) {
            throw new InvalidInputException(field, "\"" + value + "\" has a path; a registry is named by its host", ACCEPTED_FORM);
        }
        ImageRef probe;
        try {
            probe = ImageRef.parse(authority + "/probe", field);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(field, "\"" + value + "\" is not a registry host", ACCEPTED_FORM);
        }
        if (!probe.registry().equalsIgnoreCase(authority) && !authority.equalsIgnoreCase("index.docker.io")) {
            throw new InvalidInputException(field, "\"" + value + "\" is not a registry host: image references take a first"
                    + " component as a registry only when it has a '.' or a ':' or is localhost", ACCEPTED_FORM);
        }
        return new RegistryAddress(probe.registry().toLowerCase(Locale.ROOT));
    }

    private static String authority(String url, String field) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, "is not a URL", ACCEPTED_FORM);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidInputException(field, "has the scheme \"" + scheme + "\"", ACCEPTED_FORM);
        }
        if (uri.getRawUserInfo() != null) {
            // Never echo the URL: it holds credentials.
            throw new InvalidInputException(field, "contains user information; give a credential instead", ACCEPTED_FORM);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getRawAuthority() == null || !(path.isEmpty() || path.equals("/") || path.equals("/v2/") || path.equals("/v2"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidInputException(field, "\"" + url + "\" is not the root of a registry", ACCEPTED_FORM);
        }
        return uri.getRawAuthority();
    }
}
