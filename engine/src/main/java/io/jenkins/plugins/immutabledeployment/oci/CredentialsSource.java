package io.jenkins.plugins.immutabledeployment.oci;

import java.util.Optional;

/** Where a {@link RegistryClient} finds credentials for a registry, looked up by the registry's name. */
@FunctionalInterface
public interface CredentialsSource {

    CredentialsSource NONE = registry -> Optional.empty();

    /**
     * The credentials for {@code registry} (as written in image references: {@code docker.io},
     * {@code localhost:5000}), or empty for anonymous access.
     */
    Optional<Credentials> lookup(String registry);

    /** The same credentials for every registry. */
    static CredentialsSource of(Credentials credentials) {
        return registry -> Optional.of(credentials);
    }

    /** This source, and where it has nothing, {@code fallback}. */
    default CredentialsSource orElse(CredentialsSource fallback) {
        return registry -> lookup(registry).or(() -> fallback.lookup(registry));
    }
}
