package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Which builder an agent build uses: the named one if the agent has it, else the first one found. */
public final class BuilderLookup {

    static final String ACCEPTED_FORM = "a builder the agent has (" + ImageBuilder.ACCEPTED_FORM
            + "), or archive: an image archive built by another tool";

    private BuilderLookup() {}

    /** The builders to probe, in order: only the named one, or all of them. */
    public static List<ImageBuilder> candidates(ImageBuilder requested) {
        return requested == null ? List.of(ImageBuilder.values()) : List.of(requested);
    }

    /**
     * The builder to use. {@code available} is asked in lookup order and no further than needed (each question
     * runs a probe on the agent).
     *
     * @throws InvalidInputException for {@code builder} when the named builder, or any builder, is missing
     */
    public static ImageBuilder choose(ImageBuilder requested, Predicate<ImageBuilder> available) {
        for (ImageBuilder candidate : candidates(requested)) {
            if (available.test(candidate)) {
                return candidate;
            }
        }
        if (requested != null) {
            throw new InvalidInputException("builder", requested.displayName() + " was not found on the agent ("
                    + String.join(" ", requested.probe()) + " failed)", ACCEPTED_FORM);
        }
        String tried = Arrays.stream(ImageBuilder.values()).map(ImageBuilder::displayName).collect(Collectors.joining(", "));
        throw new InvalidInputException("builder", "no image builder was found on the agent (tried " + tried + ")", ACCEPTED_FORM);
    }
}
