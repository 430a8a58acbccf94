package io.jenkins.plugins.immutabledeployment.provenance;

import java.nio.file.Path;
import java.security.PrivateKey;

/**
 * A private key attestations are signed with: ECDSA P-256 (SHA-256, DER signatures) or Ed25519, read from an
 * unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). Its public half and keyid are computed from
 * it, so the signer needs nothing else. The key material never leaves this object: {@link #toString()} and
 * every message name only the algorithm and the keyid.
 */
public final class SigningKey {

    public static final String DEFAULT_FIELD = "signKey";

    private final PrivateKey key;
    private final VerificationKey verificationKey;

    private SigningKey(PrivateKey key, KeyAlgorithm algorithm) {
        this.key = key;
        this.verificationKey = new VerificationKey(PublicKeyDerivation.of(key, algorithm), algorithm);
    }

    /** @param field the input's name for error messages, e.g. {@code signKey} or {@code --sign-key} */
    public static SigningKey fromPem(String pem, String field) {
        KeyDecoder.Decoded<PrivateKey> decoded = KeyDecoder.privateKey(pem, field);
        return new SigningKey(decoded.key(), decoded.algorithm());
    }

    public static SigningKey fromPem(String pem) {
        return fromPem(pem, DEFAULT_FIELD);
    }

    public static SigningKey fromPemFile(Path file, String field) {
        return fromPem(KeyDecoder.read(file, field, KeyDecoder.PRIVATE_FORM), field);
    }

    public KeyAlgorithm algorithm() {
        return verificationKey.algorithm();
    }

    /** The keyid of the public half, see {@link VerificationKey#keyid()}. */
    public String keyid() {
        return verificationKey.keyid();
    }

    public VerificationKey verificationKey() {
        return verificationKey;
    }

    /** A signature over {@code message}: DER-encoded for ECDSA, 64 bytes for Ed25519. */
    public byte[] sign(byte[] message) {
        return algorithm().sign(key, message);
    }

    @Override
    public String toString() {
        return "SigningKey[" + algorithm() + " " + keyid() + "]";
    }
}
