package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The shape of a rollout's plan, as people know it. Both run on the same engine: blue/green is the plan
 * {@code setWeight: 0} (the preview), the gate, {@code setWeight: 100} (the switch). Left out of the JSON for
 * {@link #CANARY}, so documents written before it existed read as canary.
 */
public enum RolloutStrategy {
    @JsonProperty("canary")
    CANARY,
    @JsonProperty("blueGreen")
    BLUE_GREEN;

    /** A {@code @JsonInclude} filter: equal to (so leaves out) the default, canary. */
    static final class DefaultFilter {
        @Override
        public boolean equals(Object value) {
            return value == null || value == CANARY;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
