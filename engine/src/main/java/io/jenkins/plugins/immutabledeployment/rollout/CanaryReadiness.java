package io.jenkins.plugins.immutabledeployment.rollout;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many canary pods are ready, in the one wording rollout messages use ({@code 1 of 4 canary pods ready}), and
 * read back from such a message: the build page words a blue/green preview from the rollout's status, whose
 * message is all that carries the count.
 */
public record CanaryReadiness(int ready, int desired) {

    private static final Pattern SAID = Pattern.compile("\\b(\\d+) of (\\d+) canary pods ready\\b");

    /** The count as the first one said in {@code message}, if it says one. */
    public static Optional<CanaryReadiness> in(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher said = SAID.matcher(message);
        return said.find()
                ? Optional.of(new CanaryReadiness(Integer.parseInt(said.group(1)), Integer.parseInt(said.group(2))))
                : Optional.empty();
    }

    @Override
    public String toString() {
        return ready + " of " + desired + " canary pods ready";
    }
}
