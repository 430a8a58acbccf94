package io.jenkins.plugins.immutabledeployment.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the promotion tests of one class share: two real plain-HTTP registries (promotions within one and across
 * both) and ECDSA P-256 key pairs made by openssl, as a user makes them. Started before the class's tests, removed
 * after them:
 *
 * <pre>{@code @RegisterExtension static final RegistriesAndKeys env = new RegistriesAndKeys("signer", "stranger");}</pre>
 */
public final class RegistriesAndKeys implements BeforeAllCallback, AfterAllCallback {

    private final List<String> keyNames;
    private final Map<String, OpensslKeys> keys = new LinkedHashMap<>();
    private RegistryServer registry;
    private RegistryServer other;
    private Path keyDirectory;

    /** @param keyNames the key pairs to make, each found by its name with {@link #keys(String)} */
    public RegistriesAndKeys(String... keyNames) {
        this.keyNames = List.of(keyNames);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        registry = RegistryServer.plain();
        other = RegistryServer.plain();
        keyDirectory = Files.createTempDirectory("keys-");
        keyNames.forEach(name -> keys.put(name, OpensslKeys.ecdsaP256(keyDirectory, name)));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (registry != null) {
                registry.close();
            }
            if (other != null) {
                other.close();
            }
        } finally {
            if (keyDirectory != null) {
                RegistryServer.deleteRecursively(keyDirectory);
            }
        }
    }

    /** The registry most tests use. */
    public RegistryServer registry() {
        return started(registry);
    }

    /** A second registry, for promotions across registries. */
    public RegistryServer other() {
        return started(other);
    }

    /** The key pair made under {@code name}. */
    public OpensslKeys keys(String name) {
        OpensslKeys pair = keys.get(name);
        if (pair == null) {
            throw new IllegalArgumentException("no key pair \"" + name + "\" was made; made: " + keys.keySet());
        }
        return pair;
    }

    private static RegistryServer started(RegistryServer server) {
        if (server == null) {
            throw new IllegalStateException("not started: register as a static @RegisterExtension field");
        }
        return server;
    }
}
