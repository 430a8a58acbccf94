package io.jenkins.plugins.immutabledeployment.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanaryReadinessTest {

    @Test
    void isSaidAndReadBackFromAMessage() {
        CanaryReadiness readiness = new CanaryReadiness(1, 4);

        assertThat(readiness).hasToString("1 of 4 canary pods ready");
        assertThat(CanaryReadiness.in("steps[0]: starting the preview (" + readiness + ")")).contains(readiness);
    }

    @Test
    void aMessageWithoutACountHasNone() {
        assertThat(CanaryReadiness.in("steps[1]: paused at weight 50; waiting for promote or abort")).isEmpty();
        assertThat(CanaryReadiness.in("3 of 4 pods ready")).as("another count").isEmpty();
        assertThat(CanaryReadiness.in(null)).isEmpty();
    }
}
