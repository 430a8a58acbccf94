package io.jenkins.plugins.immutabledeployment.provenance;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A DSSE JSON envelope: {@code {"payload": "<base64>", "payloadType": "...", "signatures": [{"keyid", "sig"}]}}.
 * An unsigned envelope has an empty {@code signatures} array (the in-toto envelope layer requires the array).
 * Standard and URL-safe base64 are both read, as DSSE requires of verifiers; standard base64 is written.
 *
 * @param payload the serialized body, base64
 */
public record Envelope(String payload, String payloadType, List<Signature> signatures) {

    /** The payload type of in-toto statements (of any predicate type). */
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    public Envelope {
        if (payload == null) {
            throw new InvalidInputException("payload", "is missing", "base64 of the serialized body");
        }
        if (payloadType == null || payloadType.isBlank()) {
            throw new InvalidInputException("payloadType", "is empty", "a media type such as " + IN_TOTO_PAYLOAD_TYPE);
        }
        signatures = signatures == null ? List.of() : List.copyOf(signatures);
    }

    public static Envelope unsigned(String payloadType, byte[] payload) {
        return new Envelope(Base64.getEncoder().encodeToString(payload), payloadType, List.of());
    }

    /** Reads an envelope from its JSON form. */
    public static Envelope parse(byte[] json) {
        return AttestationJson.read(json, Envelope.class, "a DSSE envelope");
    }

    /** The serialized body the signatures cover. */
    public byte[] payloadBytes() {
        return decodeBase64(payload, "payload");
    }

    @JsonIgnore
    public boolean isSigned() {
        return !signatures.isEmpty();
    }

    /** This envelope with one more signature. */
    public Envelope withSignature(Signature signature) {
        List<Signature> all = new ArrayList<>(signatures);
        all.add(signature);
        return new Envelope(payload, payloadType, all);
    }

    /** Compact JSON, fields in the spec's order. */
    public byte[] toJson() {
        return AttestationJson.bytes(this);
    }

    static byte[] decodeBase64(String text, String field) {
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedAttestationException("the envelope's " + field + " is not base64");
        }
    }

    /**
     * One signature of the envelope.
     *
     * @param keyid a hint at the key that signed ({@code null} if none); never trusted for a decision
     * @param sig the signature over the PAE bytes, base64
     */
    public record Signature(String keyid, String sig) {

        public Signature {
            if (sig == null || sig.isEmpty()) {
                throw new InvalidInputException("sig", "is empty", "base64 of a signature");
            }
            if (keyid != null && keyid.isEmpty()) {
                keyid = null;
            }
        }

        public static Signature of(String keyid, byte[] signature) {
            return new Signature(keyid, Base64.getEncoder().encodeToString(signature));
        }

        public byte[] sigBytes() {
            return decodeBase64(sig, "sig");
        }
    }
}
