package io.jenkins.plugins.immutabledeployment.provenance;

/**
 * What checking an attestation found. {@code verified} is true only when a signature verified with the given
 * public key (and, for {@link Attestations#verify}, the subject is the expected digest); an unsigned attestation
 * is {@code signed=false, verified=false}, never verified.
 *
 * @param keyid the key the check was made with, or the envelope's first keyid when no key was given; may be {@code null}
 * @param reason a sentence saying why, for people and for a failed gate's message
 */
public record VerificationResult(boolean signed, boolean verified, String keyid, String reason) {

    public static VerificationResult unsigned() {
        return new VerificationResult(false, false, null, "the attestation is not signed");
    }

    public static VerificationResult verified(String keyid) {
        return new VerificationResult(true, true, keyid, "signature verifies with key " + keyid);
    }

    public static VerificationResult failed(String keyid, String reason) {
        return new VerificationResult(true, false, keyid, reason);
    }
}
