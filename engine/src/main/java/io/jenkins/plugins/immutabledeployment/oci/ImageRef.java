package io.jenkins.plugins.immutabledeployment.oci;

import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A container image reference in the Docker grammar: {@code [HOST[:PORT]/]PATH[:TAG][@DIGEST]}, normalised the
 * way Docker normalises it ({@code alpine} is {@code docker.io/library/alpine}).
 *
 * <p>One deliberate difference from Docker: a first path component is a registry host only when it contains
 * {@code .} or {@code :}, is {@code localhost} or is a bracketed IPv6 address. Docker also takes a first
 * component with upper-case letters as a host ({@code Shop/api} would mean host {@code Shop}); here that is
 * refused as an upper-case repository, which is what the user almost always meant.
 *
 * @param registry the registry as written in references ({@code docker.io}, {@code localhost:5000},
 *     {@code [::1]:5000}); see {@link #apiHost()} for the host the API is served on
 * @param repository the path inside the registry ({@code library/alpine})
 * @param tag the tag, or {@code null}
 * @param digest the digest, or {@code null}
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {

    public static final String ACCEPTED_FORM = "[HOST[:PORT]/]PATH[:TAG][@sha256:HEX], e.g. registry.example.com/shop/api:1.0";
    public static final String DOCKER_HUB = "docker.io";

    static final int PATH_MAX = 255;
    static final int TAG_MAX = 128;

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern DOMAIN_COMPONENT = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+\\]");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0," + (TAG_MAX - 1) + "}");

    public ImageRef {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
    }

    /**
     * Parses a reference; every error is an {@link InvalidInputException} for {@code field} that names the part
     * that is wrong (host, port, path component, tag, digest, length).
     */
    public static ImageRef parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw invalid(field, "is empty");
        }
        if (!text.equals(text.strip())) {
            throw invalid(field, "\"" + text + "\" has leading or trailing white space");
        }
        if (carriesCredentials(text)) {
            // Not repeated: the text holds a password.
            throw new InvalidInputException(field, "credentials do not belong in an image reference; give them as"
                    + " registry credentials instead (the reference is not repeated here because it holds them)",
                    ACCEPTED_FORM);
        }
        int schemeEnd = text.indexOf("://");
        if (schemeEnd > 0 && SCHEME.matcher(text.substring(0, schemeEnd)).matches()) {
            throw new ReferenceWithSchemeException(field, text, text.substring(0, schemeEnd).toLowerCase(Locale.ROOT),
                    text.substring(schemeEnd + 3));
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            String digestText = rest.substring(at + 1);
            rest = rest.substring(0, at);
            digest = parseDigest(field, text, digestText);
        }
        if (rest.startsWith("[") && !rest.contains("/")) {
            throw invalid(field, "\"" + text + "\" names a registry but no repository");
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.indexOf(':', lastSlash + 1);
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(field, "tag \"" + tag + "\" in \"" + text + "\" is not valid (up to " + TAG_MAX
                        + " of A-Z a-z 0-9 _ . - , not starting with . or -)");
            }
        }
        if (rest.isEmpty()) {
            throw invalid(field, "\"" + text + "\" has no repository");
        }
        String registry = DOCKER_HUB;
        String path = rest;
        int firstSlash = rest.indexOf('/');
        if (firstSlash < 0 && looksLikeHost(rest)) {
            // Docker would read "127.0.0.1:5000" as docker.io/library/127.0.0.1 with tag 5000: never what was meant.
            throw invalid(field, "\"" + text + "\" names a registry but no repository");
        }
        if (firstSlash >= 0 && looksLikeHost(rest.substring(0, firstSlash))) {
            registry = parseHost(field, text, rest.substring(0, firstSlash));
            path = rest.substring(firstSlash + 1);
        }
        if ("index.docker.io".equals(registry)) {
            registry = DOCKER_HUB;
        }
        if (path.isEmpty()) {
            throw invalid(field, "\"" + text + "\" has no repository after the registry \"" + registry + "\"");
        }
        for (String component : path.split("/", -1)) {
            checkPathComponent(field, text, component);
        }
        if (DOCKER_HUB.equals(registry) && !path.contains("/")) {
            path = "library/" + path;
        }
        // As distribution/reference counts: the path, Docker Hub's library/ included, without the registry host.
        if (path.length() > PATH_MAX) {
            throw invalid(field, "repository path \"" + path + "\" is " + path.length() + " characters, more than "
                    + PATH_MAX);
        }
        return new ImageRef(registry, path, tag, digest);
    }

    /** {@code user:password@host/…}: a URL's user information in front of a reference. */
    private static boolean carriesCredentials(String text) {
        int at = text.indexOf('@');
        if (at < 0) {
            return false;
        }
        String before = text.substring(0, at);
        return (before.indexOf('/') < 0 || before.contains("://")) && text.indexOf('/', at) > at;
    }

    /** The host (and port) the registry API is served on: Docker Hub's API lives on {@code registry-1.docker.io}. */
    public String apiHost() {
        return apiHost(registry);
    }

    /** {@link #apiHost()} for a registry as written in references. */
    public static String apiHost(String registry) {
        return DOCKER_HUB.equals(registry) ? "registry-1.docker.io" : registry;
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    public ImageRef withDigest(Digest newDigest) {
        return new ImageRef(registry, repository, tag, newDigest);
    }

    public ImageRef withTag(String newTag) {
        return new ImageRef(registry, repository, newTag, digest);
    }

    /** This reference pinned to its digest, without tag: {@code registry/repository@sha256:…}. */
    public ImageRef pinned(String field) {
        return new ImageRef(registry, repository, null, requireDigest(field));
    }

    public Digest requireDigest(String field) {
        if (digest == null) {
            throw new InvalidInputException(field, "\"" + this + "\" has no digest", "REPO@sha256:<64 hex>");
        }
        return digest;
    }

    /** Refuses a digest, for inputs where this product computes the digest itself (push). */
    public ImageRef requireNoDigest(String field) {
        if (digest != null) {
            throw new InvalidInputException(
                    field, "\"" + this + "\" has a digest, but the digest is computed from what is pushed", "REPO[:TAG]");
        }
        return this;
    }

    /** The tag if there is one, else the digest: what goes after {@code /manifests/} in the API. */
    public String reference() {
        if (digest != null) {
            return digest.toString();
        }
        return tag != null ? tag : "latest";
    }

    /** Whether both references point into the same registry, where blobs can be mounted between repositories. */
    public boolean sameRegistry(ImageRef other) {
        return registry.equalsIgnoreCase(other.registry);
    }

    @JsonValue
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name());
        if (tag != null) {
            text.append(':').append(tag);
        }
        if (digest != null) {
            text.append('@').append(digest);
        }
        return text.toString();
    }

    private static boolean looksLikeHost(String component) {
        return component.contains(".") || component.contains(":") || component.equals("localhost")
                || component.startsWith("[");
    }

    private static String parseHost(String field, String text, String host) {
        String name = host;
        String port = null;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw invalid(field, "registry host \"" + host + "\" in \"" + text + "\" has no closing ]");
            }
            name = host.substring(0, close + 1);
            if (!IPV6.matcher(name).matches()) {
                throw invalid(field, "registry host \"" + name + "\" in \"" + text + "\" is not an IPv6 address");
            }
            String after = host.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(field, "registry host \"" + host + "\" in \"" + text + "\" has junk after ]");
                }
                port = after.substring(1);
            }
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0) {
                name = host.substring(0, colon);
                port = host.substring(colon + 1);
            }
            if (name.isEmpty()) {
                throw invalid(field, "registry host is empty in \"" + text + "\"");
            }
            for (String component : name.split("\\.", -1)) {
                if (!DOMAIN_COMPONENT.matcher(component).matches()) {
                    throw invalid(field, "registry host \"" + name + "\" in \"" + text
                            + "\" is not a host name (labels of letters, digits and inner -, separated by .)");
                }
            }
        }
        if (port != null) {
            checkPort(field, text, port);
        }
        return host;
    }

    private static void checkPort(String field, String text, String port) {
        boolean valid = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!valid || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw invalid(field, "registry port \"" + port + "\" in \"" + text + "\" is not a number from 1 to 65535");
        }
    }

    private static void checkPathComponent(String field, String text, String component) {
        if (component.isEmpty()) {
            throw invalid(field, "repository path in \"" + text + "\" has an empty component (// or a / at an end)");
        }
        if (PATH_COMPONENT.matcher(component).matches()) {
            return;
        }
        if (PATH_COMPONENT.matcher(component.toLowerCase(Locale.ROOT)).matches()) {
            throw invalid(field, "repository path component \"" + component + "\" in \"" + text + "\" must be lowercase");
        }
        throw invalid(field, "repository path component \"" + component + "\" in \"" + text
                + "\" is not valid (a-z 0-9 joined by single . or _, double __, or dashes)");
    }

    private static Digest parseDigest(String field, String text, String digestText) {
        try {
            return Digest.parse(digestText, field);
        } catch (InvalidInputException e) {
            throw invalid(field, "digest \"" + digestText + "\" in \"" + text + "\" is not valid ("
                    + Digest.ACCEPTED_FORM + ")");
        }
    }

    private static InvalidInputException invalid(String field, String problem) {
        return new InvalidInputException(field, problem, ACCEPTED_FORM);
    }
}
