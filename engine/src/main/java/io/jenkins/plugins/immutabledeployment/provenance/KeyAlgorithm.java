package io.jenkins.plugins.immutabledeployment.provenance;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.NamedParameterSpec;

/**
 * The signature algorithms attestations are signed with. ECDSA signatures are ASN.1 DER encoded
 * ({@code SEQUENCE {r, s}}), as openssl, cosign and sigstore produce and expect them.
 */
public enum KeyAlgorithm {

    ECDSA_P256_SHA256("ECDSA P-256 with SHA-256", "SHA256withECDSA"),
    ED25519("Ed25519", "Ed25519");

    /** The JDK's name for ECDSA signatures as the raw concatenation r || s (IEEE P1363). */
    private static final String ECDSA_RAW = "SHA256withECDSAinP1363Format";

    private static final int P256_RAW_SIGNATURE_LENGTH = 64;

    private final String displayName;
    private final String jcaName;

    KeyAlgorithm(String displayName, String jcaName) {
        this.displayName = displayName;
        this.jcaName = jcaName;
    }

    public String displayName() {
        return displayName;
    }

    /** The algorithm of a key, or {@code null} when it is of a kind attestations are not signed with. */
    static KeyAlgorithm of(Key key) {
        if (key instanceof ECKey ec && isP256(ec.getParams())) {
            return ECDSA_P256_SHA256;
        }
        if (key instanceof EdECKey ed && NamedParameterSpec.ED25519.getName().equalsIgnoreCase(ed.getParams().getName())) {
            return ED25519;
        }
        return null;
    }

    byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance(jcaName);
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            // Deliberately without the cause: a provider message might describe the key.
            throw new IllegalStateException("the JDK could not sign with " + displayName + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * Whether {@code signature} is valid. For ECDSA a DER signature is expected; a 64-byte r || s signature
     * (the form of the DSSE reference implementation's test vector) is accepted too.
     */
    boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (verify(jcaName, key, message, signature)) {
            return true;
        }
        return this == ECDSA_P256_SHA256
                && signature.length == P256_RAW_SIGNATURE_LENGTH
                && verify(ECDSA_RAW, key, message, signature);
    }

    private static boolean verify(String jcaName, PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(jcaName);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false; // not a well-formed signature at all
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot verify " + jcaName, e);
        }
    }

    private static boolean isP256(ECParameterSpec params) {
        ECParameterSpec p256 = PublicKeyDerivation.p256();
        return params.getCurve().equals(p256.getCurve())
                && params.getGenerator().equals(p256.getGenerator())
                && params.getOrder().equals(p256.getOrder())
                && params.getCofactor() == p256.getCofactor();
    }
}
