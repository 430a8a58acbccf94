package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The tools that can turn a Dockerfile into an image archive on an agent, in the order they are looked for when
 * none is named. Each has a probe: a harmless command that succeeds only where the tool can build.
 */
public enum ImageBuilder {
    /** {@code docker buildx build --output type=oci}: needs a builder whose driver has the OCI exporter. */
    BUILDX("buildx", "docker buildx", List.of("docker", "buildx", "version")),
    /** {@code docker build} then {@code docker save}: the probe asks the daemon, so a client alone does not count. */
    DOCKER("docker", "docker", List.of("docker", "version", "--format", "{{.Server.Version}}")),
    BUILDAH("buildah", "buildah", List.of("buildah", "version")),
    PODMAN("podman", "podman", List.of("podman", "version"));

    public static final String ACCEPTED_FORM = Arrays.stream(values()).map(ImageBuilder::id).collect(Collectors.joining(", "));

    private final String id;
    private final String displayName;
    private final List<String> probe;

    ImageBuilder(String id, String displayName, List<String> probe) {
        this.id = id;
        this.displayName = displayName;
        this.probe = probe;
    }

    /** The value of the step's {@code builder} parameter. */
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** A command that exits with 0 only where this builder is installed and usable. */
    public List<String> probe() {
        return probe;
    }

    /** {@code buildx}, {@code docker}, {@code buildah} or {@code podman} (any case); blank is {@code null}: look for one. */
    public static ImageBuilder parse(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (ImageBuilder builder : values()) {
            if (builder.id.equals(wanted)) {
                return builder;
            }
        }
        throw new InvalidInputException(field, "\"" + text + "\" is not a builder", "one of " + ACCEPTED_FORM);
    }
}
