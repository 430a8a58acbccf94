package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines that make each builder write an image archive that {@code ImageArchive} reads, run in order
 * from the workspace; and the ones that remove what they left in the builder's local store.
 *
 * <ul>
 *   <li>docker buildx: {@code docker buildx build … --output type=oci,dest=OUT CONTEXT} (an OCI archive; nothing is
 *       left in a store);
 *   <li>docker: {@code docker build … -t LOCAL CONTEXT}, then {@code docker save -o OUT LOCAL} (a docker-save tar);
 *   <li>buildah: {@code buildah bud --format oci … -t LOCAL CONTEXT}, then {@code buildah push LOCAL oci-archive:OUT};
 *   <li>podman: {@code podman build … -t LOCAL CONTEXT}, then {@code podman save --format oci-archive -o OUT LOCAL}.
 * </ul>
 */
public final class BuildCommands {

    private BuildCommands() {}

    public static List<List<String>> build(ImageBuilder builder, BuildOptions options) {
        return switch (builder) {
            case BUILDX -> {
                requireNot(options.output(), ',', "docker buildx's --output option");
                List<String> build = command(List.of("docker", "buildx", "build"), options);
                build.add("--output");
                build.add("type=oci,dest=" + options.output());
                build.add(options.context());
                yield List.of(build);
            }
            case DOCKER -> List.of(
                    tagged(command(List.of("docker", "build"), options), options),
                    List.of("docker", "save", "-o", options.output(), options.localImage()));
            case BUILDAH -> {
                requireNot(options.output(), ':', "buildah's oci-archive: transport");
                yield List.of(
                        tagged(command(List.of("buildah", "bud", "--format", "oci"), options), options),
                        List.of("buildah", "push", options.localImage(), "oci-archive:" + options.output()));
            }
            case PODMAN -> List.of(
                    tagged(command(List.of("podman", "build"), options), options),
                    List.of("podman", "save", "--format", "oci-archive", "-o", options.output(), options.localImage()));
        };
    }

    /** Removes the local image the build commands left behind; failures may be ignored. */
    public static List<List<String>> cleanup(ImageBuilder builder, BuildOptions options) {
        return switch (builder) {
            case BUILDX -> List.of();
            case DOCKER -> List.of(List.of("docker", "image", "rm", options.localImage()));
            case BUILDAH -> List.of(List.of("buildah", "rmi", options.localImage()));
            case PODMAN -> List.of(List.of("podman", "rmi", options.localImage()));
        };
    }

    private static List<String> command(List<String> start, BuildOptions options) {
        List<String> argv = new ArrayList<>(start);
        if (options.dockerfile() != null) {
            argv.add("-f");
            argv.add(options.dockerfile());
        }
        if (options.platform() != null) {
            argv.add("--platform");
            argv.add(options.platform());
        }
        argv.addAll(options.buildArgs().toArguments());
        return argv;
    }

    private static List<String> tagged(List<String> argv, BuildOptions options) {
        argv.add("-t");
        argv.add(options.localImage());
        argv.add(options.context());
        return List.copyOf(argv);
    }

    private static void requireNot(String output, char forbidden, String where) {
        if (output.indexOf(forbidden) >= 0) {
            throw new InvalidInputException("workspace", "the archive path \"" + output + "\" contains '" + forbidden
                    + "', which " + where + " cannot take", "a workspace path without '" + forbidden + "'");
        }
    }
}
