package io.jenkins.plugins.immutabledeployment.oci;

import java.util.List;

/**
 * The registry turned a request away for who made it (401 or 403). The fields let a front end say it in its words
 * ("127.0.0.1:5000 refused the credentials for user alice") and name its own way of giving credentials.
 */
public abstract class RegistryAuthException extends RegistryException {

    private static final long serialVersionUID = 1L;

    private final String registry;
    private final String username;

    RegistryAuthException(String message, int status, List<String> errorCodes, String registry, String username) {
        super(message, status, errorCodes);
        this.registry = registry;
        this.username = username;
    }

    /** The registry, as written in references. */
    public String registry() {
        return registry;
    }

    /** The user the credentials were of, or {@code null} when none were given. */
    public String username() {
        return username;
    }
}
