package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.AuthFile;
import io.jenkins.plugins.immutabledeployment.oci.Credentials;
import io.jenkins.plugins.immutabledeployment.oci.CredentialsSource;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryConnection;
import io.jenkins.plugins.immutabledeployment.oci.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The registry options every command that talks to a registry has ({@code @Mixin RegistryOptions registry;}):
 * {@code --plain-http}, {@code --ca-cert}, {@code --auth-file}, {@code --username} with {@code --password-stdin}.
 * Call {@link #validate(ImmutableDeploy)} with the other input checks, before anything is written anywhere.
 */
final class RegistryOptions {

    static final int PASSWORD_MAX = 64 << 10;

    @Option(names = "--plain-http", description = "Talk plain HTTP to the registry (a local registry); never implied.")
    boolean plainHttp;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "A PEM file of extra CA certificates to trust.")
    Path caCert;

    @Option(names = "--auth-file", paramLabel = "FILE",
            description = "A Docker/Podman auth file (config.json with \"auths\"); default: $REGISTRY_AUTH_FILE,"
                    + " $XDG_RUNTIME_DIR/containers/auth.json, $DOCKER_CONFIG/config.json, ~/.docker/config.json.")
    Path authFile;

    @Option(names = "--username", paramLabel = "USER",
            description = "User name for the registry; the password is read from standard input (--password-stdin).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password (or token) for --username from standard input.")
    boolean passwordStdin;

    private ImmutableDeploy run;
    private RegistryConnection connection;
    private final Map<String, RegistryClient> clients = new HashMap<>();

    /**
     * Checks the options (and reads the password once, from the standard input of {@code run}); bad ones are refused
     * as bad input naming the option. Retries are reported on the run's stderr.
     */
    void validate(ImmutableDeploy run) {
        this.run = run;
        connection();
    }

    /** The connection settings these options describe. */
    private RegistryConnection connection() {
        if (connection == null) {
            if (caCert != null) {
                TlsTrust.context(caCert, "ca-cert");
            }
            java.io.PrintWriter err = run.output().err();
            connection = RegistryConnection.defaults()
                    .withPlainHttp(plainHttp)
                    .withCaCertificate(caCert)
                    .withCredentials(credentials())
                    .withRetryReports(message -> {
                        err.println(message);
                        err.flush();
                    });
        }
        return connection;
    }

    /** One client per registry for the whole command, so that tokens are reused. */
    RegistryClient client(ImageRef image) {
        return clients.computeIfAbsent(image.registry().toLowerCase(Locale.ROOT),
                registry -> new RegistryClient(image.registry(), connection()));
    }

    private CredentialsSource credentials() {
        CredentialsSource files = authFile != null
                ? AuthFile.read(authFile, "auth-file")
                : AuthFile.defaults(System.getenv(), Path.of(System.getProperty("user.home")));
        if (username == null && !passwordStdin) {
            return files;
        }
        if (username == null || username.isBlank()) {
            throw new InvalidInputException("password-stdin", "is given without --username", "--username USER --password-stdin");
        }
        if (!passwordStdin) {
            throw new InvalidInputException("username", "is given without --password-stdin (passwords are never"
                    + " command-line arguments)", "--username USER --password-stdin");
        }
        return CredentialsSource.of(new Credentials(username, readPassword())).orElse(files);
    }

    private String readPassword() {
        byte[] bytes;
        try {
            InputStream stdin = run.stdin();
            bytes = stdin.readNBytes(PASSWORD_MAX + 1);
        } catch (IOException e) {
            throw new InvalidInputException("password-stdin", "cannot read standard input", "the password on standard input");
        }
        if (bytes.length > PASSWORD_MAX) {
            throw new InvalidInputException("password-stdin", "standard input is longer than " + PASSWORD_MAX + " bytes",
                    "the password on standard input");
        }
        String password = new String(bytes, StandardCharsets.UTF_8);
        password = password.endsWith("\r\n") ? password.substring(0, password.length() - 2)
                : password.endsWith("\n") ? password.substring(0, password.length() - 1) : password;
        if (password.isEmpty()) {
            throw new InvalidInputException("password-stdin", "standard input is empty", "the password on standard input");
        }
        return password;
    }
}
