package io.jenkins.plugins.immutabledeployment.provenance;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * Computes the public key of a PKCS#8 private key, which the JDK does not expose, so that a signer needs only
 * its private key file and still announces the keyid a verifier computes from the public key. Every secret
 * dependent step runs inside the JDK's own constant-time code: for P-256, ECDH of the private key with the
 * curve's generator yields the public point's x; for Ed25519, the key pair generator is fed the private seed.
 * The result is checked by signing and verifying a probe message.
 */
final class PublicKeyDerivation {

    private static final ECParameterSpec P256 = standardP256();

    private static final byte[] PROBE = "immutable-deployment public key probe".getBytes(StandardCharsets.US_ASCII);

    private PublicKeyDerivation() {}

    static ECParameterSpec p256() {
        return P256;
    }

    /** The matching public key; {@link IllegalStateException} (without key details) if none could be found. */
    static PublicKey of(PrivateKey key, KeyAlgorithm algorithm) {
        try {
            if (algorithm == KeyAlgorithm.ED25519) {
                return checked(ed25519((EdECPrivateKey) key), key, algorithm);
            }
            for (PublicKey candidate : p256Candidates((ECPrivateKey) key)) {
                if (matches(candidate, key, algorithm)) {
                    return candidate;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot compute the public key of the " + algorithm.displayName() + " key: " + e.getClass().getSimpleName());
        }
        throw new IllegalStateException("cannot compute the public key of the " + algorithm.displayName() + " key");
    }

    private static PublicKey ed25519(EdECPrivateKey key) throws GeneralSecurityException {
        byte[] seed = key.getBytes().orElseThrow(() -> new IllegalStateException("the Ed25519 key has no encoded seed"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            return generator.generateKeyPair().getPublic();
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Both points with the x that ECDH(d, G) gives; one of them is d·G. */
    private static PublicKey[] p256Candidates(ECPrivateKey key) throws GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("EC");
        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(key);
        ecdh.doPhase(factory.generatePublic(new ECPublicKeySpec(P256.getGenerator(), P256)), true);
        byte[] sharedX = ecdh.generateSecret();
        BigInteger x = new BigInteger(1, sharedX);
        Arrays.fill(sharedX, (byte) 0);

        BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
        BigInteger rhs = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        // p ≡ 3 (mod 4), so a square root of rhs is rhs^((p+1)/4).
        BigInteger y = rhs.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
        return new PublicKey[] {
            factory.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256)),
            factory.generatePublic(new ECPublicKeySpec(new ECPoint(x, p.subtract(y)), P256)),
        };
    }

    private static PublicKey checked(PublicKey candidate, PrivateKey key, KeyAlgorithm algorithm) {
        if (!matches(candidate, key, algorithm)) {
            throw new IllegalStateException("cannot compute the public key of the " + algorithm.displayName() + " key");
        }
        return candidate;
    }

    private static boolean matches(PublicKey candidate, PrivateKey key, KeyAlgorithm algorithm) {
        return algorithm.verify(candidate, PROBE, algorithm.sign(key, PROBE));
    }

    private static ECParameterSpec standardP256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks the P-256 curve", e);
        }
    }

    /** Hands out the private seed as the "random" bytes of Ed25519 key generation, and nothing else. */
    private static final class SeedRandom extends SecureRandom {

        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected Ed25519 key generation");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
