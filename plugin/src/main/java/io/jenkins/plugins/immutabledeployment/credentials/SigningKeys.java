package io.jenkins.plugins.immutabledeployment.credentials;

import hudson.model.Run;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The key attestations are signed with, on the controller only: the step's credential, else the global
 * configuration's, else none (attestations are then unsigned, and reported as such).
 */
public final class SigningKeys {

    private SigningKeys() {}

    /**
     * @param credentialsId the step's {@code signingKeyCredentialsId}, or {@code null}
     * @return the key, or {@code null} when none is configured
     */
    public static SigningKey forBuild(Run<?, ?> run, String credentialsId) throws IOException {
        String id = credentialsId;
        String field = "signingKeyCredentialsId";
        if (id == null) {
            id = ImmutableDeploymentConfiguration.get().getSigningKeyCredentialsId();
            field = "signingKeyCredentialsId of the global configuration";
        }
        if (id == null) {
            return null;
        }
        byte[] pem = new BuildCredentials(run).secretTextOrFile(field, id);
        return SigningKey.fromPem(new String(pem, StandardCharsets.US_ASCII), field);
    }
}
