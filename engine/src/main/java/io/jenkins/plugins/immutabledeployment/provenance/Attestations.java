package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.Objects;
import java.util.stream.Collectors;

/** Seals in-toto statements into DSSE envelopes and opens them again, checked against an image digest. */
public final class Attestations {

    private Attestations() {}

    /**
     * The statement in a DSSE envelope of type {@value Envelope#IN_TOTO_PAYLOAD_TYPE}, signed by {@code key},
     * or unsigned when {@code key} is {@code null} (no key configured).
     */
    public static Envelope seal(Statement statement, SigningKey key) {
        Envelope envelope = Envelope.unsigned(Envelope.IN_TOTO_PAYLOAD_TYPE, statement.toJson());
        return key == null ? envelope : Dsse.addSignature(envelope, key);
    }

    /**
     * Verifies the envelope's signature with {@code key} (may be {@code null}: then a signed envelope is
     * reported as signed but not verified) and checks that the statement's subject is {@code imageDigest}.
     *
     * @throws MalformedAttestationException if the envelope does not carry an in-toto Statement v1
     */
    public static AttestationVerification verify(Envelope envelope, VerificationKey key, Digest imageDigest) {
        Objects.requireNonNull(imageDigest, "imageDigest");
        VerificationResult signature = Dsse.verify(envelope, key);
        if (!Envelope.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
            throw new MalformedAttestationException("payloadType is \"" + envelope.payloadType()
                    + "\"; an in-toto attestation has " + Envelope.IN_TOTO_PAYLOAD_TYPE);
        }
        Statement statement = Statement.parse(envelope.payloadBytes());
        boolean subjectMatches = statement.hasSubject(imageDigest);
        if (signature.verified() && !subjectMatches) {
            String subjects = statement.subject().stream()
                    .flatMap(s -> s.digest().entrySet().stream())
                    .map(d -> d.getKey() + ":" + d.getValue())
                    .collect(Collectors.joining(", "));
            signature = VerificationResult.failed(signature.keyid(), "the signature verifies, but the subject "
                    + subjects + " is not the image digest " + imageDigest);
        }
        return new AttestationVerification(statement, signature, subjectMatches);
    }
}
