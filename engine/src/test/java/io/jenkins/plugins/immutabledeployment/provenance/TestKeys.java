package io.jenkins.plugins.immutabledeployment.provenance;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;

/** Key pairs made by the JDK, as PEM text, for tests that do not need openssl. */
final class TestKeys {

    private TestKeys() {}

    static KeyPair ecdsaP256() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    static KeyPair ed25519() {
        return generate("Ed25519", NamedParameterSpec.ED25519);
    }

    static KeyPair generate(String algorithm, AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                generator.initialize(spec);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String privatePem(KeyPair pair) {
        return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    static String publicPem(KeyPair pair) {
        return pem("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static SigningKey signingKey(KeyPair pair) {
        return SigningKey.fromPem(privatePem(pair));
    }

    static VerificationKey verificationKey(KeyPair pair) {
        return VerificationKey.fromPem(publicPem(pair));
    }
}
