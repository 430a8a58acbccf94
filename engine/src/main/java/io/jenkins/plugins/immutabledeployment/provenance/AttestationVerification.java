package io.jenkins.plugins.immutabledeployment.provenance;

/**
 * An attestation read and checked against an image digest.
 *
 * @param statement the statement the envelope carries (read even when not verified, for display)
 * @param result the verdict: verified only if a signature verifies with the given key and the subject matches
 * @param subjectMatches whether a subject of the statement is the image digest, regardless of signatures
 */
public record AttestationVerification(Statement statement, VerificationResult result, boolean subjectMatches) {

    public boolean verified() {
        return result.verified();
    }
}
