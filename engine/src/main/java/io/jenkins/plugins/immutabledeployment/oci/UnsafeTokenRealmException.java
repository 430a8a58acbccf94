package io.jenkins.plugins.immutabledeployment.oci;

import java.util.List;

/**
 * The registry asked for a Bearer token from a token service ({@code realm}) that credentials must not be sent to:
 * plain HTTP for a TLS registry, or plain HTTP on another host. Nothing was sent there.
 */
public class UnsafeTokenRealmException extends RegistryException {

    private static final long serialVersionUID = 1L;

    public UnsafeTokenRealmException(String registry, String realm, String why) {
        super("registry " + registry + " sends clients to the token service \"" + realm + "\", which is refused: " + why
                + "; nothing was sent to it (configure the registry's token realm as https://…)", 401,
                List.of("UNAUTHORIZED"));
    }
}
