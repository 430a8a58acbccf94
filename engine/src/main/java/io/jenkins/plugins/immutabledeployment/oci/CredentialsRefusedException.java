package io.jenkins.plugins.immutabledeployment.oci;

import java.util.List;

/** The registry answered 401: it wants credentials and was given none, or refused the ones given. */
public class CredentialsRefusedException extends RegistryAuthException {

    private static final long serialVersionUID = 1L;

    CredentialsRefusedException(String message, List<String> errorCodes, String registry, String username) {
        super(message, 401, errorCodes, registry, username);
    }
}
