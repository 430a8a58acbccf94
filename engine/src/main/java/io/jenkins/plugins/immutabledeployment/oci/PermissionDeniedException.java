package io.jenkins.plugins.immutabledeployment.oci;

import java.util.List;

/** The registry answered 403: the credentials were accepted, but they do not allow this operation. */
public class PermissionDeniedException extends RegistryAuthException {

    private static final long serialVersionUID = 1L;

    PermissionDeniedException(String message, List<String> errorCodes, String registry, String username) {
        super(message, 403, errorCodes, registry, username);
    }
}
