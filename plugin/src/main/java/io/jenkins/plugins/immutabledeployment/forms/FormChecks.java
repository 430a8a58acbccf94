package io.jenkins.plugins.immutabledeployment.forms;

import hudson.util.FormValidation;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.build.StepParameters;
import io.jenkins.plugins.immutabledeployment.kube.RollbackTarget;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import io.jenkins.plugins.immutabledeployment.rollout.Durations;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks behind the {@code doCheck…} methods of the forms. Wherever the engine has a parser for a value, the
 * form asks it, so the form accepts exactly what the step will: image references ({@code ImageRef}), tags,
 * durations ({@code Durations}), canary plans and weights ({@code PlanParser}), public keys
 * ({@code VerificationKey}). The few checks below without an engine counterpart (registry addresses, URLs,
 * Kubernetes names, CA certificates) only tell the user early; what the steps do with those values
 * is checked again where they are used.
 */
public final class FormChecks {

    private static final String HOST_NAME =
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+])";
    private static final Pattern REGISTRY_HOST = Pattern.compile(HOST_NAME + "(?::[0-9]{1,5})?");
    private static final String LABEL = "[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?";
    private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");

    private FormChecks() {}

    /** Runs an engine check: OK, or its message (which names the field and the accepted form) as the error. */
    public static FormValidation engine(Runnable check) {
        try {
            check.run();
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    public static FormValidation required(String value, String what) {
        return FormText.isBlank(value) ? FormValidation.error(what + " is required.") : FormValidation.ok();
    }

    /** A duration as {@link Durations} reads it, e.g. {@code 2m} or {@code 1h30m}; blank is fine when optional. */
    public static FormValidation duration(String field, String value, boolean required) {
        if (FormText.isBlank(value) && !required) {
            return FormValidation.ok();
        }
        return engine(() -> Durations.parse(value, field));
    }

    /** A canary weight list as {@link PlanParser#weights} reads it; a warning when it does not end at 100. */
    public static FormValidation weights(String value) {
        List<Integer> weights;
        try {
            weights = FormText.weights("weights", value);
            if (weights == null) {
                return FormValidation.ok();
            }
            PlanParser.weights(weights, null);
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
        return weights.isEmpty() || weights.get(weights.size() - 1) != 100
                ? FormValidation.warning("The last weight is not 100: the rollout will not finish by itself.")
                : FormValidation.ok();
    }

    /** An image reference as {@link ImageRef} reads it; with {@code digestRequired}, pinned by digest. */
    public static FormValidation imageReference(String field, String value, boolean digestRequired) {
        return engine(() -> {
            ImageRef image = ImageRef.parse(value == null ? null : value.trim(), field);
            if (digestRequired) {
                image.requireDigest(field);
            }
        });
    }

    /** A tag as registries accept it; blank is fine (no tag). */
    public static FormValidation tag(String value) {
        return FormText.isBlank(value) ? FormValidation.ok() : engine(() -> StepParameters.tag(value.trim(), "tag"));
    }

    /** A PEM public key the engine can verify signatures with; blank is fine. */
    public static FormValidation publicKey(String value) {
        return FormText.isBlank(value) ? FormValidation.ok() : engine(() -> VerificationKey.fromPem(value.trim(), "publicKey"));
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

    /** A canary plan in the compact text form of the global default and the CLI's --steps, as {@link PlanParser} reads it. */
    public static FormValidation canaryPlan(String value) {
        return FormText.isBlank(value) ? FormValidation.ok() : engine(() -> PlanParser.stepsFromText(value));
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

    /** {@code previous} or a number of releases back, as the engine's {@code RollbackTarget} parses it. */
    public static FormValidation revision(String value) {
        return engine(() -> RollbackTarget.parse(value));
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
