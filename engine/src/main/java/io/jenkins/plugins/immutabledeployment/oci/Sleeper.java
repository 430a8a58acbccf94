package io.jenkins.plugins.immutabledeployment.oci;

import java.time.Duration;

/** Waits between retries; tests inject one that records instead of waiting. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
