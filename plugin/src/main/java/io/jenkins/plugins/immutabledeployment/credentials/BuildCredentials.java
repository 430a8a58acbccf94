package io.jenkins.plugins.immutabledeployment.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Run;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Resolves credential ids for one build into the plain values the engine takes. Each lookup goes through
 * {@link CredentialsProvider#findCredentialById(String, Class, Run)} (so parameter expressions and the
 * build's authentication apply) and is recorded with {@link CredentialsProvider#track(Run, com.cloudbees.plugins.credentials.Credentials)}.
 * Errors name the step field; no message, log line or {@code toString} contains a secret.
 */
public final class BuildCredentials {

    private final Run<?, ?> run;

    public BuildCredentials(Run<?, ?> run) {
        this.run = Objects.requireNonNull(run, "run");
    }

    /** A registry login from a "Username with password" credential. */
    public RegistryLogin usernamePassword(String field, String id) {
        StandardUsernamePasswordCredentials c = find(field, id, StandardUsernamePasswordCredentials.class, "Username with password");
        return new RegistryLogin(c.getUsername(), c.getPassword().getPlainText());
    }

    /** A token from a "Secret text" credential. */
    public String secretText(String field, String id) {
        return find(field, id, StringCredentials.class, "Secret text").getSecret().getPlainText();
    }

    /** The content of a "Secret file" credential, e.g. a kubeconfig. */
    public byte[] secretFile(String field, String id) throws IOException {
        return read(find(field, id, FileCredentials.class, "Secret file"));
    }

    /** A PEM document (e.g. a signing key) held either as "Secret text" or as "Secret file". */
    public byte[] secretTextOrFile(String field, String id) throws IOException {
        StandardCredentials c = find(field, id, StandardCredentials.class, "Secret text or Secret file");
        if (c instanceof StringCredentials text) {
            return text.getSecret().getPlainText().getBytes(StandardCharsets.UTF_8);
        }
        if (c instanceof FileCredentials file) {
            return read(file);
        }
        throw wrongType(field, id, c, "Secret text or Secret file");
    }

    private <C extends StandardCredentials> C find(String field, String id, Class<C> type, String kind) {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException(field, "is empty", "the id of a " + kind + " credential");
        }
        StandardCredentials any = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run);
        if (any == null) {
            throw new InvalidInputException(field, "no credentials with id \"" + id + "\" are available to this build",
                    "the id of a " + kind + " credential this job may use");
        }
        if (!type.isInstance(any)) {
            throw wrongType(field, id, any, kind);
        }
        C c = type.cast(any);
        CredentialsProvider.track(run, c);
        return c;
    }

    private static InvalidInputException wrongType(String field, String id, StandardCredentials found, String kind) {
        return new InvalidInputException(field,
                "credentials \"" + id + "\" are of kind " + found.getDescriptor().getDisplayName() + ", not " + kind,
                "the id of a " + kind + " credential");
    }

    private static byte[] read(FileCredentials file) throws IOException {
        try (InputStream in = file.getContent()) {
            return in.readAllBytes();
        }
    }
}
