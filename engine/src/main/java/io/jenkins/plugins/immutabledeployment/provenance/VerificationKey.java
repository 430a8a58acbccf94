package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Objects;

/**
 * A public key that attestation signatures are checked with: ECDSA P-256 (SHA-256) or Ed25519, read from a
 * SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}).
 *
 * <p>Its {@link #keyid()} is {@code sha256:<hex>} of the DER SubjectPublicKeyInfo, i.e. what
 * {@code openssl pkey -pubin -in KEY.pem -outform DER | sha256sum} prints. DSSE treats keyids as hints only:
 * verification always checks the signature itself.
 */
public final class VerificationKey {

    public static final String DEFAULT_FIELD = "publicKey";

    private final PublicKey key;
    private final KeyAlgorithm algorithm;
    private final String keyid;

    VerificationKey(PublicKey key, KeyAlgorithm algorithm) {
        this.key = Objects.requireNonNull(key, "key");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.keyid = Digest.sha256(key.getEncoded()).toString();
    }

    /** @param field the input's name for error messages, e.g. {@code publicKey} or {@code --public-key} */
    public static VerificationKey fromPem(String pem, String field) {
        KeyDecoder.Decoded<PublicKey> decoded = KeyDecoder.publicKey(pem, field);
        return new VerificationKey(decoded.key(), decoded.algorithm());
    }

    public static VerificationKey fromPem(String pem) {
        return fromPem(pem, DEFAULT_FIELD);
    }

    public static VerificationKey fromPemFile(Path file, String field) {
        return fromPem(KeyDecoder.read(file, field, KeyDecoder.PUBLIC_FORM), field);
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    public String keyid() {
        return keyid;
    }

    /** Whether {@code signature} is this key's signature over {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
        return algorithm.verify(key, message, signature);
    }

    /** The SubjectPublicKeyInfo PEM, as openssl writes it. */
    public String toPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    PublicKey publicKey() {
        return key;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerificationKey that && keyid.equals(that.keyid);
    }

    @Override
    public int hashCode() {
        return keyid.hashCode();
    }

    @Override
    public String toString() {
        return "VerificationKey[" + algorithm + " " + keyid + "]";
    }
}
