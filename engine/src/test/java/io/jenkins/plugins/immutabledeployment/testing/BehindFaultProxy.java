package io.jenkins.plugins.immutabledeployment.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * For tests of a client that talks to a real {@code docker-registry} through a {@link FaultProxy}: one registry for
 * the class, a fresh proxy in front of it for each test.
 */
public abstract class BehindFaultProxy {

    protected static RegistryServer registry;
    protected FaultProxy proxy;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryServer.plain();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.to(registry);
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }
}
