package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import java.util.List;

/**
 * A registry refused or failed a request (after retries where retrying made sense). The message names the
 * registry, the operation, the HTTP status and the registry's error codes; never credentials.
 */
public class RegistryException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> errorCodes;

    public RegistryException(String message, int status, List<String> errorCodes) {
        super(message);
        this.status = status;
        this.errorCodes = List.copyOf(errorCodes);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCodes = List.of();
    }

    /** The HTTP status, or 0 when no response came (I/O error). */
    public int status() {
        return status;
    }

    /** The registry's error codes ({@code MANIFEST_UNKNOWN}, {@code DENIED}, …), possibly empty. */
    public List<String> errorCodes() {
        return errorCodes;
    }
}
