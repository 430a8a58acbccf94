package io.jenkins.plugins.immutabledeployment.forms;

import hudson.util.FormValidation;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syntax checks behind the {@code doCheck…} methods of the forms. They only tell the user early whether a
 * value has the accepted form; the engine checks every value again before anything changes.
 * TODO(engine): delegate to the engine's ImageRef, duration and canary plan parsers once they are merged.
 */
public final class FormChecks {

    public static final String DURATION_FORM = "a number with a unit (ms, s, m, h, d), e.g. 30s, 2m, 1h30m, 24h";
    public static final String PLAN_FORM = "comma-separated weights and steps, e.g. 10,pause:2m,analysis:errors,50,pause:manual,100";

    private static final Pattern DURATION = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d))+");
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String HOST_NAME =
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+])";
    private static final String HOST = HOST_NAME + "(?::[0-9]{1,5})?";
    private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:" + HOST + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*(?::(" + TAG + "))?(?:@(.+))?");
    private static final Pattern TAG_ONLY = Pattern.compile(TAG);
    private static final Pattern REGISTRY_HOST = Pattern.compile(HOST);
    private static final Pattern REVISION_NUMBER = Pattern.compile("[1-9][0-9]{0,5}");
    private static final String LABEL = "[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?";
    private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");

    private FormChecks() {}

    public static FormValidation required(String value, String what) {
        return FormText.isBlank(value) ? FormValidation.error(what + " is required.") : FormValidation.ok();
    }

    /** A Go-style duration such as {@code 2m} or {@code 1h30m}; blank is fine when the field is optional. */
    public static FormValidation duration(String value, boolean required) {
        if (FormText.isBlank(value)) {
            return required ? FormValidation.error("A duration is required: " + DURATION_FORM + ".") : FormValidation.ok();
        }
        return isDuration(value.trim()) ? FormValidation.ok() : FormValidation.error("Not a duration; expected " + DURATION_FORM + ".");
    }

    /** A canary weight list: whole numbers from 0 to 100, ascending. */
    public static FormValidation weights(String value) {
        List<Integer> weights;
        try {
            weights = FormText.weights("weights", value);
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
        if (weights == null) {
            return FormValidation.ok();
        }
        int previous = -1;
        for (int weight : weights) {
            if (weight < 0 || weight > 100) {
                return FormValidation.error("Weight " + weight + " is outside 0–100; expected " + FormText.WEIGHTS_FORM + ".");
            }
            if (weight <= previous) {
                return FormValidation.error("Weights must go up: " + weight + " comes after " + previous + ".");
            }
            previous = weight;
        }
        return previous == 100 ? FormValidation.ok() : FormValidation.warning("The last weight is not 100: the rollout will not finish by itself.");
    }

    /**
     * An image reference {@code [host[:port]/]path[:tag][@digest]}. With {@code digestRequired} a reference
     * without a digest is refused (tags move; digests do not).
     */
    public static FormValidation imageReference(String value, boolean digestRequired) {
        if (FormText.isBlank(value)) {
            return FormValidation.error("An image reference is required.");
        }
        Matcher m = REFERENCE.matcher(value.trim());
        if (!m.matches() || value.trim().contains("://")) {
            return FormValidation.error("Not an image reference; expected [host[:port]/]path[:tag][@sha256:<64 hex>], e.g. registry.example.com/shop/api@sha256:….");
        }
        String digest = m.group(2);
        if (digest != null) {
            try {
                Digest.parse(digest, "image");
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
            return FormValidation.ok();
        }
        return digestRequired
                ? FormValidation.error("This reference has no digest; expected REPOSITORY@sha256:<64 hex> (or set resolve to pin a tag once).")
                : FormValidation.ok();
    }

    /** A repository to push to, optionally with a tag, never with a digest (the digest is computed). */
    public static FormValidation repository(String value) {
        FormValidation reference = imageReference(value, false);
        if (reference.kind != FormValidation.Kind.OK) {
            return reference;
        }
        Matcher m = REFERENCE.matcher(value.trim());
        return m.matches() && m.group(2) != null
                ? FormValidation.error("Give a repository, not a digest: the digest is computed from what is pushed.")
                : FormValidation.ok();
    }

    public static FormValidation tag(String value) {
        if (FormText.isBlank(value) || TAG_ONLY.matcher(value.trim()).matches()) {
            return FormValidation.ok();
        }
        return FormValidation.error("Not a tag; expected up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'.");
    }

    /** An http(s) URL with a host. */
    public static FormValidation httpUrl(String value, boolean required) {
        if (FormText.isBlank(value)) {
            return required ? FormValidation.error("A URL is required, e.g. https://host:port.") : FormValidation.ok();
        }
        return isHttpUrl(value.trim()) ? FormValidation.ok() : FormValidation.error("Not an http(s) URL; expected e.g. https://host:port.");
    }

    /** A registry given as {@code host[:port]} or as an http(s) URL. */
    public static FormValidation registry(String value) {
        if (FormText.isBlank(value)) {
            return FormValidation.error("A registry is required, e.g. registry.example.com or https://registry.example.com:5000.");
        }
        String v = value.trim();
        boolean ok = v.contains("://") ? isHttpUrl(v) : REGISTRY_HOST.matcher(v).matches();
        return ok ? FormValidation.ok() : FormValidation.error("Not a registry; expected host[:port] or an http(s) URL, e.g. registry.example.com:5000.");
    }

    /** A canary plan in the compact text form used by the global default and the CLI's --steps. */
    public static FormValidation canaryPlan(String value) {
        if (FormText.isBlank(value)) {
            return FormValidation.ok();
        }
        for (String part : value.split(",", -1)) {
            String item = part.trim();
            if (!isPlanItem(item)) {
                return FormValidation.error("\"" + item + "\" is not a plan step; expected " + PLAN_FORM + ".");
            }
        }
        return FormValidation.ok();
    }

    /** A Kubernetes object name such as a Deployment's (DNS subdomain, at most 253 characters). */
    public static FormValidation kubernetesName(String value, boolean required) {
        if (FormText.isBlank(value)) {
            return required ? FormValidation.error("A name is required.") : FormValidation.ok();
        }
        String v = value.trim();
        return v.length() <= 253 && DNS_SUBDOMAIN.matcher(v).matches()
                ? FormValidation.ok()
                : FormValidation.error("Not a Kubernetes name; expected lower-case letters, digits, '-' and '.', e.g. shop-api.");
    }

    /** A Kubernetes namespace or container name (DNS label, at most 63 characters). */
    public static FormValidation kubernetesLabel(String value, boolean required) {
        if (FormText.isBlank(value)) {
            return required ? FormValidation.error("A name is required.") : FormValidation.ok();
        }
        return DNS_LABEL.matcher(value.trim()).matches()
                ? FormValidation.ok()
                : FormValidation.error("Not a Kubernetes name; expected up to 63 lower-case letters, digits and '-', e.g. shop.");
    }

    /** {@code previous} or a number of releases back. */
    public static FormValidation revision(String value) {
        if (FormText.isBlank(value) || "previous".equals(value.trim()) || REVISION_NUMBER.matcher(value.trim()).matches()) {
            return FormValidation.ok();
        }
        return FormValidation.error("Expected previous or a number of releases back (1, 2, …).");
    }

    /** PEM text such as a CA certificate or a public key (public material, not a secret). */
    public static FormValidation pem(String value, String kind) {
        if (FormText.isBlank(value)) {
            return FormValidation.ok();
        }
        String v = value.trim();
        return v.startsWith("-----BEGIN ") && v.contains("-----END ")
                ? FormValidation.ok()
                : FormValidation.error("Not PEM text; expected a " + kind + " starting with -----BEGIN.");
    }

    static boolean isDuration(String text) {
        return DURATION.matcher(text).matches();
    }

    private static boolean isPlanItem(String item) {
        String lower = item.toLowerCase(Locale.ROOT);
        if (lower.startsWith("pause:")) {
            String arg = item.substring("pause:".length());
            return "manual".equals(arg) || isDuration(arg);
        }
        if (lower.startsWith("analysis:")) {
            return !item.substring("analysis:".length()).isBlank();
        }
        try {
            int weight = Integer.parseInt(item);
            return weight >= 0 && weight <= 100;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
