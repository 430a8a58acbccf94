package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Problems;
import io.jenkins.plugins.immutabledeployment.kube.NoClusterConfigurationException;
import io.jenkins.plugins.immutabledeployment.oci.CredentialsRefusedException;
import io.jenkins.plugins.immutabledeployment.oci.PermissionDeniedException;
import io.jenkins.plugins.immutabledeployment.oci.ReferenceWithSchemeException;
import io.jenkins.plugins.immutabledeployment.oci.RegistryConnectionException;
import io.jenkins.plugins.immutabledeployment.oci.TagConflictException;
import io.jenkins.plugins.immutabledeployment.promotion.GateFailedException;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words the engine's failures the command line's way: the engine gives the facts (exception types with fields),
 * and where its own message names a Pipeline parameter ({@code tagPolicy}, {@code requirePromotedTo}) the command
 * line names its option instead. Nothing here prints a Java class name.
 */
final class FailureWording {

    /** The gates' engine names and their options. */
    private static final Map<String, String> GATE_OPTIONS = Map.of(
            "requireProvenance", "--require-provenance", "requirePromotedTo", "--require-promoted-to");

    /** The engine's name of a step of the plan: {@code steps[1]}, {@code steps[1].setWeight}. */
    private static final Pattern STEP_FIELD = Pattern.compile("steps\\[(\\d+)\\](?:\\.\\w+)?");
    private static final Pattern STEP_FIELD_IN_TEXT = Pattern.compile("steps\\[(\\d+)\\]");

    private FailureWording() {}

    /** @param command the command that failed, as typed ({@code push}, {@code rollout promote}) */
    static Failure of(Throwable failure, String command) {
        if (failure instanceof NothingVerifiedException unverified) {
            return new Failure(ExitCodes.FAILED, "unverified", null, unverified.getMessage(), unverified.report());
        }
        if (failure instanceof NoClusterConfigurationException none) {
            return Failure.badInput("invalid-input", none.field(), "kubeconfig: no Kubernetes configuration found (looked at "
                    + String.join(", ", none.looked()) + "); name the cluster with --kubeconfig FILE [--context NAME],"
                    + " or set $KUBECONFIG");
        }
        if (failure instanceof ReferenceWithSchemeException scheme) {
            return Failure.badInput("invalid-input", scheme.field(), scheme.getMessage() + ("http".equals(scheme.scheme())
                    ? "; to talk plain http to the registry, add --plain-http" : "; https is what the registry is talked to by default"));
        }
        if (failure instanceof InvalidInputException invalid) {
            Matcher step = STEP_FIELD.matcher(invalid.field());
            return step.matches() ? Failure.badInput("invalid-input", "steps", steps(invalid, Integer.parseInt(step.group(1))))
                    : Failure.badInput("invalid-input", invalid.field(), invalid.getMessage());
        }
        if (failure instanceof TagConflictException conflict) {
            return Failure.failed("tag-conflict", conflict.race() ? conflict.getMessage() : "tag " + conflict.image()
                    + " already points at " + conflict.existing() + ", not at " + conflict.wanted()
                    + "; tags are immutable by default: --tag-policy overwrite moves it");
        }
        if (failure instanceof RegistryConnectionException connection) {
            return Failure.failed(kind(connection), connection.getMessage() + switch (connection.problem()) {
                case PLAIN_HTTP_SERVER -> " (a plain-HTTP registry: add --plain-http)";
                case TLS_SERVER -> " (drop --plain-http)";
                case UNTRUSTED_CERTIFICATE -> " (trust its CA with --ca-cert FILE)";
                case TLS_HANDSHAKE, UNKNOWN_HOST -> "";
            });
        }
        if (failure instanceof GateFailedException gate) {
            return Failure.failed("gate-failed", "gate " + GATE_OPTIONS.getOrDefault(gate.gate(), gate.gate()) + " failed for "
                    + gate.image() + ": " + gate.reason() + "; nothing was written" + whereRecordsLive(gate));
        }
        if (failure instanceof CredentialsRefusedException refused) {
            return Failure.failed("credentials-refused", command + ": " + refused.registry() + (refused.username() != null
                    ? " refused the credentials for user " + refused.username() + " (check the password given on"
                            + " --password-stdin, or the --auth-file entry for " + refused.registry() + ")"
                    : " wants credentials and none were given: --username USER --password-stdin, or an --auth-file entry"
                            + " for " + refused.registry()));
        }
        if (failure instanceof PermissionDeniedException denied) {
            return Failure.failed("permission-denied", command + ": " + denied.registry() + " denied "
                    + (denied.username() != null ? "user " + denied.username() : "anonymous access") + " what it asked ("
                    + denied.getMessage() + ")");
        }
        if (failure instanceof DeploymentException failed) {
            return Failure.failed(kind(failed), failed.getMessage());
        }
        return Failure.failed("unexpected", "unexpected failure: " + Problems.describe(failure));
    }

    /**
     * A step of {@code --steps} as the command line writes it: {@code step 2} (counted from 1) for the engine's
     * {@code steps[1].setWeight}, and the text form of steps for the Pipeline's step maps.
     */
    private static String steps(InvalidInputException invalid, int index) {
        String problem = STEP_FIELD_IN_TEXT.matcher(invalid.problem())
                .replaceAll(found -> "step " + (Integer.parseInt(found.group(1)) + 1));
        String accepted = invalid.acceptedForm();
        if (accepted.equals(PlanParser.STEP_FORM)) {
            accepted = PlanParser.TEXT_STEP_FORM;
        } else if (accepted.startsWith("an analysis defined under analysis:")) {
            accepted = "an analysis defined in --analysis FILE.json";
        }
        return "steps: step " + (index + 1) + ": " + problem + (accepted.isEmpty() ? "" : "; expected " + accepted);
    }

    /** A stage gate with no record at all most often looked in the wrong repository: say where records are. */
    private static String whereRecordsLive(GateFailedException gate) {
        if (!"requirePromotedTo".equals(gate.gate()) || !gate.reason().startsWith("no ")) {
            return "";
        }
        return ". A promotion record is attached to the digest in the repository promoted to (the --to of"
                + " `immutable-deploy promote --stage STAGE`): give that repository's image as --image";
    }

    /** {@code RegistryException} → {@code registry}, {@code ImageDriftException} → {@code image-drift}. */
    private static String kind(DeploymentException failed) {
        String name = failed.getClass().getSimpleName().replaceFirst("Exception$", "");
        return name.isEmpty() || name.equals("Deployment") ? "failed"
                : name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
