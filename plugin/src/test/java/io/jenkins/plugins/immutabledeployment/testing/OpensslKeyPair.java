package io.jenkins.plugins.immutabledeployment.testing;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;

/**
 * An ECDSA P-256 key pair made by {@code openssl}, as a user makes one.
 *
 * @param privatePem the unencrypted PKCS#8 PEM of the private key: a secret
 * @param publicPem its public key PEM
 */
public record OpensslKeyPair(String privatePem, String publicPem) {

    public static OpensslKeyPair ecdsaP256() throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("keys");
        Path privateKey = directory.resolve("release.pem");
        Path publicKey = directory.resolve("release.pub.pem");
        OciLayouts.run(List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", privateKey.toString()));
        OciLayouts.run(List.of("openssl", "pkey", "-in", privateKey.toString(), "-pubout", "-out", publicKey.toString()));
        OpensslKeyPair pair = new OpensslKeyPair(Files.readString(privateKey, StandardCharsets.US_ASCII),
                Files.readString(publicKey, StandardCharsets.US_ASCII));
        Files.delete(privateKey);
        Files.delete(publicKey);
        Files.delete(directory);
        return pair;
    }

    /** Stores the private key as a Secret text credential and makes it the global signing key. */
    public void configureAsSigningKey(String credentialsId) throws IOException {
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL, credentialsId, "release signing key",
                Secret.fromString(privatePem)));
        store.save();
        ImmutableDeploymentConfiguration.get().setSigningKeyCredentialsId(credentialsId);
    }

    /** A piece of the private key's base64 body: any output that quoted the key would contain it. */
    public String secretFragment() {
        String body = privatePem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return body.substring(body.length() / 2, body.length() / 2 + 24);
    }
}
