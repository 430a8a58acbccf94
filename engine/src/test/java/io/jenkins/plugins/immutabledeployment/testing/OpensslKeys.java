package io.jenkins.plugins.immutabledeployment.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Signing key pairs made by {@code openssl}, as a user makes them (docs/provenance.md, "Key handling").
 *
 * @param privateKey an unencrypted PKCS#8 PEM file
 * @param publicKey its SubjectPublicKeyInfo PEM file
 */
public record OpensslKeys(Path privateKey, Path publicKey) {

    /** An ECDSA P-256 pair in {@code directory}, files named {@code <name>.pem} and {@code <name>.pub.pem}. */
    public static OpensslKeys ecdsaP256(Path directory, String name) {
        return generate(directory, name, List.of("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"));
    }

    public static OpensslKeys ed25519(Path directory, String name) {
        return generate(directory, name, List.of("-algorithm", "ED25519"));
    }

    private static OpensslKeys generate(Path directory, String name, List<String> algorithm) {
        Path privateKey = directory.resolve(name + ".pem");
        Path publicKey = directory.resolve(name + ".pub.pem");
        List<String> genpkey = new java.util.ArrayList<>(List.of("openssl", "genpkey"));
        genpkey.addAll(algorithm);
        genpkey.addAll(List.of("-out", privateKey.toString()));
        Command.run(genpkey);
        Command.run(List.of("openssl", "pkey", "-in", privateKey.toString(), "-pubout", "-out", publicKey.toString()));
        return new OpensslKeys(privateKey, publicKey);
    }

    /** The private key's PEM text. */
    public String privatePem() {
        return read(privateKey);
    }

    public String publicPem() {
        return read(publicKey);
    }

    /**
     * Fragments of the private key that must never appear anywhere: the base64 body of the PEM, in slices of 24
     * characters (any output that quoted the key, wrapped or not, would contain at least one of them).
     */
    public List<String> secretFragments() {
        String body = privatePem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        List<String> fragments = new java.util.ArrayList<>();
        for (int i = 0; i + 24 <= body.length(); i += 24) {
            fragments.add(body.substring(i, i + 24));
        }
        return fragments;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
