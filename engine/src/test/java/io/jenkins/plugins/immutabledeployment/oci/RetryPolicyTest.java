package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy =
            new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30));

    @RepeatedTest(20)
    void backsOffExponentiallyWithJitterUpToTheMaximum() {
        assertThat(policy.delayAfter(1, null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(policy.delayAfter(2, null)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(policy.delayAfter(3, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(policy.delayAfter(10, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(policy.delayAfter(60, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void honoursRetryAfterUpToItsCap() {
        assertThat(policy.delayAfter(1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.delayAfter(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
    }
}
