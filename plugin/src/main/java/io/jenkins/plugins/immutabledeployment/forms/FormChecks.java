package io.jenkins.plugins.immutabledeployment.forms;

import hudson.util.FormValidation;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.build.StepParameters;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.Names;
import io.jenkins.plugins.immutabledeployment.kube.RollbackTarget;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryAddress;
import io.jenkins.plugins.immutabledeployment.oci.TlsTrust;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisSpecParser;
import io.jenkins.plugins.immutabledeployment.rollout.Durations;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import java.util.List;

/**
 * The checks behind the {@code doCheck…} methods of the forms. Wherever the engine has a parser for a value, the
 * form asks it, so the form accepts exactly what the step will: image references ({@code ImageRef}), tags,
 * durations ({@code Durations}), canary plans and weights ({@code PlanParser}), public keys
 * ({@code VerificationKey}), registry addresses ({@code RegistryAddress}), Kubernetes names ({@code Names},
 * {@code DeploymentTarget}), Prometheus and Kubernetes API server addresses ({@code AnalysisSpecParser},
 * {@code KubeClients}), CA certificates ({@code TlsTrust}). Only the presence rules of the forms (which fields go
 * together) are the forms' own.
 */
public final class FormChecks {

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

    /** A Prometheus server's address as an analysis takes it ({@link AnalysisSpecParser#prometheusAddress}); blank is fine. */
    public static FormValidation prometheus(String value) {
        return FormText.isBlank(value) ? FormValidation.ok()
                : engine(() -> AnalysisSpecParser.prometheusAddress(value.trim(), "defaultPrometheusUrl"));
    }

    /** A registry as {@link RegistryAddress} reads it: {@code host[:port]} or an http(s) URL of its root. */
    public static FormValidation registry(String value) {
        return engine(() -> RegistryAddress.parse(value, "url"));
    }

    /** A canary plan in the compact text form of the global default and the CLI's --steps, as {@link PlanParser} reads it. */
    public static FormValidation canaryPlan(String value) {
        return FormText.isBlank(value) ? FormValidation.ok() : engine(() -> PlanParser.stepsFromText(value));
    }

    /** A stable Deployment's name as the engine's {@link DeploymentTarget} accepts it. */
    public static FormValidation deployment(String value) {
        return FormText.isBlank(value) ? FormValidation.error("deployment is required.")
                : engine(() -> DeploymentTarget.requireDeploymentName("deployment", value.trim()));
    }

    /** A Kubernetes object name (e.g. an HTTPRoute's) as the engine's {@link Names} accepts it; blank is fine. */
    public static FormValidation objectName(String field, String value) {
        return FormText.isBlank(value) ? FormValidation.ok() : engine(() -> Names.requireObjectName(field, value.trim()));
    }

    /** A namespace, container or Service name (a DNS label) as the engine's {@link Names} accepts it; blank is fine. */
    public static FormValidation label(String field, String value) {
        return FormText.isBlank(value) ? FormValidation.ok() : engine(() -> Names.requireLabel(field, value.trim()));
    }

    /** {@code previous} or a number of releases back, as the engine's {@code RollbackTarget} parses it. */
    public static FormValidation revision(String value) {
        return engine(() -> RollbackTarget.parse(value));
    }

    /** PEM text of extra CA certificates, as the engine's {@link TlsTrust} takes them; blank is fine. */
    public static FormValidation caCertificate(String value) {
        return FormText.isBlank(value) ? FormValidation.ok() : engine(() -> TlsTrust.requireCertificates(value.trim(), "caCertificate"));
    }
}
