package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one agent build is given.
 *
 * @param dockerfile the Dockerfile, relative to the working directory; {@code null}: the builder's default in the context
 * @param context the build context directory, relative to the working directory
 * @param buildArgs {@code ARG} values
 * @param platform the target platform ({@code linux/arm64}), or {@code null} for the agent's own
 * @param localImage the name the image gets in the builder's local store while it is built and exported
 * @param output where the image archive is written, a path on the agent
 */
public record BuildOptions(
        String dockerfile, String context, BuildArgs buildArgs, String platform, String localImage, String output) {

    public static final String PLATFORM_FORM = "OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm64/v8";

    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?");
    private static final String LOCAL_REPOSITORY = "localhost/immutable-build";

    public BuildOptions {
        dockerfile = dockerfile == null ? null : path(dockerfile, "dockerfile");
        context = context == null ? "." : path(context, "context");
        buildArgs = buildArgs == null ? BuildArgs.NONE : buildArgs;
        platform = platform(platform);
        Objects.requireNonNull(localImage, "localImage");
        path(Objects.requireNonNull(output, "output"), "output");
    }

    /**
     * A name for the image in the builder's local store that no other build uses: the local repository
     * {@value #LOCAL_REPOSITORY} with a tag derived from {@code seed} (e.g. the build's id and the step's id).
     */
    public static String localImageFor(String seed) {
        return LOCAL_REPOSITORY + ":" + Digest.sha256(seed.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 20);
    }

    static String platform(String value) {
        if (value != null && !PLATFORM.matcher(value).matches()) {
            throw new InvalidInputException("platform", "\"" + value + "\" is not a platform", PLATFORM_FORM);
        }
        return value;
    }

    /** A path handed to a builder as an argument: one that cannot be taken for an option or split a line. */
    static String path(String value, String field) {
        if (value.isBlank()) {
            throw new InvalidInputException(field, "is empty", "a path relative to the workspace");
        }
        if (value.startsWith("-")) {
            throw new InvalidInputException(field, "\"" + value + "\" starts with '-' and would be read as an option",
                    "a path relative to the workspace, e.g. ./" + value);
        }
        if (value.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            throw new InvalidInputException(field, "contains a line break or NUL", "a path relative to the workspace");
        }
        return value;
    }
}
