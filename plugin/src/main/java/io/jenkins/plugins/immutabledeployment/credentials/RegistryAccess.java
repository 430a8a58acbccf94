package io.jenkins.plugins.immutabledeployment.credentials;

import hudson.model.Run;
import io.jenkins.plugins.immutabledeployment.config.ImmutableDeploymentConfiguration;
import io.jenkins.plugins.immutabledeployment.config.RegistryEntry;
import io.jenkins.plugins.immutabledeployment.oci.Credentials;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.CredentialsSource;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryConnection;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * How to reach one registry for one build, resolved on the controller: the registry's configured settings
 * (plain HTTP, extra CA) and the login of the step's credential, or else of the registry's configured credential,
 * or none. Serializable so that an agent can push with it; the channel to the agent is encrypted. The password
 * never appears in {@link #toString()}, logs or messages.
 */
public final class RegistryAccess implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String registry;
    private final boolean plainHttp;
    private final String caCertificate;
    private final String username;
    private final String password;

    private RegistryAccess(String registry, boolean plainHttp, String caCertificate, RegistryLogin login) {
        this.registry = registry;
        this.plainHttp = plainHttp;
        this.caCertificate = caCertificate;
        this.username = login == null ? null : login.username();
        this.password = login == null ? null : login.password();
    }

    /**
     * @param credentialsId the step's credential for this registry, or {@code null} for the configured one
     * @param field the step parameter that named {@code credentialsId}, for errors
     */
    public static RegistryAccess forImage(Run<?, ?> run, ImageRef image, String credentialsId, String field) {
        Optional<RegistryEntry> entry = ImmutableDeploymentConfiguration.get().findRegistry(image.registry());
        String id = credentialsId;
        String idField = field;
        if (id == null && entry.isPresent()) {
            id = entry.get().getCredentialsId();
            idField = "credentialsId of the configured registry " + entry.get().getUrl();
        }
        RegistryLogin login = id == null ? null : new BuildCredentials(run).usernamePassword(idField, id);
        return new RegistryAccess(image.registry(), entry.map(RegistryEntry::isPlainHttp).orElse(false),
                entry.map(RegistryEntry::getCaCertificate).orElse(null), login);
    }

    /** Runs {@code use} with a client of this registry; the extra CA, if any, lives in a temporary file meanwhile. */
    public <T> T withClient(Function<RegistryClient, T> use) throws IOException {
        return withClient(Progress.NONE, use);
    }

    /** As {@link #withClient(Function)}, each retry of a registry request told to {@code retries} (the build log) with its reason and delay. */
    public <T> T withClient(Progress retries, Function<RegistryClient, T> use) throws IOException {
        Path ca = caCertificate == null ? null : Files.createTempFile("immutable-deployment-ca", ".pem");
        try {
            if (ca != null) {
                Files.writeString(ca, caCertificate, StandardCharsets.US_ASCII);
            }
            CredentialsSource credentials = username == null
                    ? CredentialsSource.NONE
                    : CredentialsSource.of(new Credentials(username, password));
            RegistryConnection connection = RegistryConnection.defaults()
                    .withPlainHttp(plainHttp)
                    .withCaCertificate(ca)
                    .withCredentials(credentials)
                    .withRetryReports(retries);
            return use.apply(new RegistryClient(registry, connection));
        } finally {
            if (ca != null) {
                Files.deleteIfExists(ca);
            }
        }
    }

    public String registry() {
        return registry;
    }

    @Override
    public String toString() {
        return "RegistryAccess[" + registry + (plainHttp ? ", plain HTTP" : "") + (caCertificate != null ? ", extra CA" : "")
                + (username != null ? ", user " + username + ", password ****" : ", anonymous") + "]";
    }
}
