package io.jenkins.plugins.immutabledeployment.rollout;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a canary plan, in the words Argo Rollouts users know: {@code setWeight}, {@code pause},
 * {@code analysis}. Steps are plain values; what they mean at run time is the {@link RolloutPlanner}'s business.
 */
public sealed interface Step permits Step.SetWeight, Step.Pause, Step.Analysis {

    /** A canonical one-token form, used for the plan hash and in messages: {@code setWeight:10}. */
    String canonical();

    /** Send {@code percent} of the traffic to the canary and wait until that is in effect with ready pods. */
    record SetWeight(int percent) implements Step {
        public SetWeight {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("weight " + percent + " is outside 0..100");
            }
        }

        @Override
        public String canonical() {
            return "setWeight:" + percent;
        }
    }

    /**
     * Wait. With a duration, until it has passed (or a promote skips the rest); without one ({@link #manual()}),
     * until a person promotes or aborts.
     */
    record Pause(Duration duration) implements Step {
        public Pause {
            if (duration != null && duration.isNegative()) {
                throw new IllegalArgumentException("negative pause " + duration);
            }
        }

        public static Pause manual() {
            return new Pause(null);
        }

        public static Pause of(Duration duration) {
            return new Pause(Objects.requireNonNull(duration, "duration"));
        }

        public boolean isManual() {
            return duration == null;
        }

        @Override
        public String canonical() {
            return "pause:" + (isManual() ? "manual" : Durations.format(duration));
        }
    }

    /** Run the analysis defined under {@code name} to its conclusion before going on. */
    record Analysis(String name) implements Step {
        public Analysis {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String canonical() {
            return "analysis:" + name;
        }
    }
}
