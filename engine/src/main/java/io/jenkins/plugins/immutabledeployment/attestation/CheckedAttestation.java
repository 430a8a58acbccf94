package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.provenance.Statement;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationResult;

/**
 * An attestation attached to an image, fetched and checked against the image digest and a public key.
 *
 * @param referrer the attestation manifest's descriptor in the referrers list
 * @param predicateType the statement's predicate type; for an unreadable one, what the referrer's annotation says
 * @param statement the statement, or {@code null} when it could not be read
 * @param result the signature check; for an unreadable one, unsigned and not verified
 * @param subjectMatches whether the statement is about the image digest
 * @param problem why it could not be read (missing, tampered bytes, not an in-toto envelope), else {@code null}
 */
public record CheckedAttestation(
        Descriptor referrer, String predicateType, Statement statement, VerificationResult result,
        boolean subjectMatches, String problem) {

    static CheckedAttestation unreadable(Descriptor referrer, String problem) {
        return new CheckedAttestation(referrer, referrer.annotations().get(ArtifactTypes.PREDICATE_TYPE_ANNOTATION),
                null, VerificationResult.unsigned(), false, problem);
    }

    public boolean readable() {
        return problem == null;
    }

    /** A signature verified with the given key and the statement is about the image. */
    public boolean verified() {
        return readable() && result.verified() && subjectMatches;
    }

    public boolean isOfType(String type) {
        return type.equals(predicateType);
    }
}
