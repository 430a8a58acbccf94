package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;

/**
 * Turns PEM text into a JDK key of an accepted kind, or refuses it naming the field, what was found and the
 * accepted form. Never quotes key material, and never chains JDK exceptions that might describe it.
 */
final class KeyDecoder {

    static final String PRIVATE_FORM = "an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) of an ECDSA P-256 or"
            + " Ed25519 key, e.g. from 'openssl genpkey -algorithm ED25519' or"
            + " 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256'";

    static final String PUBLIC_FORM = "a SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----) of an ECDSA P-256 or"
            + " Ed25519 key, e.g. from 'openssl pkey -in KEY.pem -pubout'";

    /** Key factories tried in turn; those past the first two only serve to say what kind of key was given. */
    private static final List<String> FACTORIES = List.of("EC", "EdDSA", "RSA", "DSA", "XDH");

    private KeyDecoder() {}

    record Decoded<K extends Key>(K key, KeyAlgorithm algorithm) {}

    static Decoded<PrivateKey> privateKey(String pem, String field) {
        byte[] der = Pem.decode(pem, "PRIVATE KEY", field, PRIVATE_FORM);
        return decode(factory -> factory.generatePrivate(new PKCS8EncodedKeySpec(der)),
                field, PRIVATE_FORM, "a PKCS#8 private key");
    }

    static Decoded<PublicKey> publicKey(String pem, String field) {
        byte[] der = Pem.decode(pem, "PUBLIC KEY", field, PUBLIC_FORM);
        return decode(factory -> factory.generatePublic(new X509EncodedKeySpec(der)),
                field, PUBLIC_FORM, "a SubjectPublicKeyInfo public key");
    }

    static String read(Path file, String field, String acceptedForm) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new InvalidInputException(field, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")", acceptedForm);
        }
    }

    @FunctionalInterface
    private interface Generation<K extends Key> {
        K from(KeyFactory factory) throws GeneralSecurityException;
    }

    private static <K extends Key> Decoded<K> decode(
            Generation<K> generation, String field, String acceptedForm, String expected) {
        for (String factory : FACTORIES) {
            K key;
            try {
                key = generation.from(KeyFactory.getInstance(factory));
            } catch (GeneralSecurityException e) {
                continue; // not this kind; try the next
            }
            return accepted(key, field, acceptedForm);
        }
        throw new InvalidInputException(field, "is not " + expected + " of a known kind", acceptedForm);
    }

    private static <K extends Key> Decoded<K> accepted(K key, String field, String acceptedForm) {
        KeyAlgorithm algorithm = KeyAlgorithm.of(key);
        if (algorithm == null) {
            throw new InvalidInputException(field, "holds " + kind(key) + ", which is not accepted", acceptedForm);
        }
        return new Decoded<>(key, algorithm);
    }

    private static String kind(Key key) {
        if (key instanceof ECKey) {
            return "an EC key on a curve other than P-256";
        }
        if (key instanceof EdECKey ed) {
            return "an " + ed.getParams().getName() + " key";
        }
        return "a key of type " + key.getAlgorithm();
    }
}
