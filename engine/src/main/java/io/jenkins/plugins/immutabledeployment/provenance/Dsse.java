package io.jenkins.plugins.immutabledeployment.provenance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** The DSSE v1 protocol: the pre-authentication encoding, signing and verifying an {@link Envelope}. */
public final class Dsse {

    private Dsse() {}

    /**
     * {@code PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, LEN being the ASCII decimal
     * byte length without leading zeros and type the UTF-8 bytes of the payload type. This is what is signed.
     */
    public static byte[] pae(String payloadType, byte[] body) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + body.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + body.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** An envelope around {@code payload} with one signature by {@code key}, keyid included. */
    public static Envelope sign(String payloadType, byte[] payload, SigningKey key) {
        return addSignature(Envelope.unsigned(payloadType, payload), key);
    }

    /** {@code envelope} with one more signature, by {@code key}, over its payload. */
    public static Envelope addSignature(Envelope envelope, SigningKey key) {
        byte[] signature = key.sign(pae(envelope.payloadType(), envelope.payloadBytes()));
        return envelope.withSignature(Envelope.Signature.of(key.keyid(), signature));
    }

    /**
     * Checks the envelope's signatures against {@code key}. Every signature is tried, whatever its keyid says
     * (keyids are unauthenticated hints); one that verifies is enough.
     *
     * @param key the trusted public key, or {@code null} to only report whether the envelope is signed
     */
    public static VerificationResult verify(Envelope envelope, VerificationKey key) {
        Objects.requireNonNull(envelope, "envelope");
        if (!envelope.isSigned()) {
            return VerificationResult.unsigned();
        }
        Set<String> keyids = new LinkedHashSet<>();
        envelope.signatures().stream().map(Envelope.Signature::keyid).filter(Objects::nonNull).forEach(keyids::add);
        if (key == null) {
            return VerificationResult.failed(keyids.stream().findFirst().orElse(null),
                    "signed, but no public key was given to verify it with");
        }
        byte[] pae = pae(envelope.payloadType(), envelope.payloadBytes());
        for (Envelope.Signature signature : envelope.signatures()) {
            if (key.verify(pae, signature.sigBytes())) {
                return VerificationResult.verified(key.keyid());
            }
        }
        String signers = keyids.isEmpty() ? "" : "; the envelope names keyid " + String.join(", ", keyids);
        return VerificationResult.failed(key.keyid(),
                "no signature verifies with key " + key.keyid() + " over the payload" + signers);
    }
}
