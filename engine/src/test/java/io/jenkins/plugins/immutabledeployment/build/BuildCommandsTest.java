package io.jenkins.plugins.immutabledeployment.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact command lines each builder gets: the contract with four tools nobody here wrote. */
class BuildCommandsTest {

    private static final String LOCAL = "localhost/immutable-build:0123456789abcdef0123";
    private static final String OUT = "/ws@tmp/immutable-build-1/image.tar";

    private static BuildOptions minimal() {
        return new BuildOptions(null, null, null, null, LOCAL, OUT);
    }

    private static BuildOptions full() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("VERSION", "1.4");
        args.put("DEBUG", false);
        return new BuildOptions("docker/Dockerfile", "app", BuildArgs.parse(args, "buildArgs"), "linux/arm64", LOCAL, OUT);
    }

    @Test
    void buildxWritesAnOciArchiveInOneCommand() {
        assertThat(BuildCommands.build(ImageBuilder.BUILDX, minimal())).containsExactly(
                List.of("docker", "buildx", "build", "--output", "type=oci,dest=" + OUT, "."));
        assertThat(BuildCommands.build(ImageBuilder.BUILDX, full())).containsExactly(
                List.of("docker", "buildx", "build", "-f", "docker/Dockerfile", "--platform", "linux/arm64",
                        "--build-arg", "VERSION=1.4", "--build-arg", "DEBUG=false", "--output", "type=oci,dest=" + OUT, "app"));
        assertThat(BuildCommands.cleanup(ImageBuilder.BUILDX, full())).isEmpty();
    }

    @Test
    void dockerBuildsThenSavesADockerArchive() {
        assertThat(BuildCommands.build(ImageBuilder.DOCKER, minimal())).containsExactly(
                List.of("docker", "build", "-t", LOCAL, "."),
                List.of("docker", "save", "-o", OUT, LOCAL));
        assertThat(BuildCommands.build(ImageBuilder.DOCKER, full())).containsExactly(
                List.of("docker", "build", "-f", "docker/Dockerfile", "--platform", "linux/arm64",
                        "--build-arg", "VERSION=1.4", "--build-arg", "DEBUG=false", "-t", LOCAL, "app"),
                List.of("docker", "save", "-o", OUT, LOCAL));
        assertThat(BuildCommands.cleanup(ImageBuilder.DOCKER, full())).containsExactly(List.of("docker", "image", "rm", LOCAL));
    }

    @Test
    void buildahBuildsInOciFormatThenPushesToAnOciArchive() {
        assertThat(BuildCommands.build(ImageBuilder.BUILDAH, full())).containsExactly(
                List.of("buildah", "bud", "--format", "oci", "-f", "docker/Dockerfile", "--platform", "linux/arm64",
                        "--build-arg", "VERSION=1.4", "--build-arg", "DEBUG=false", "-t", LOCAL, "app"),
                List.of("buildah", "push", LOCAL, "oci-archive:" + OUT));
        assertThat(BuildCommands.cleanup(ImageBuilder.BUILDAH, full())).containsExactly(List.of("buildah", "rmi", LOCAL));
    }

    @Test
    void podmanBuildsThenSavesAnOciArchive() {
        assertThat(BuildCommands.build(ImageBuilder.PODMAN, minimal())).containsExactly(
                List.of("podman", "build", "-t", LOCAL, "."),
                List.of("podman", "save", "--format", "oci-archive", "-o", OUT, LOCAL));
        assertThat(BuildCommands.cleanup(ImageBuilder.PODMAN, minimal())).containsExactly(List.of("podman", "rmi", LOCAL));
    }

    @Test
    void refusesArchivePathsATransportWouldMisread() {
        BuildOptions colon = new BuildOptions(null, null, null, null, LOCAL, "/ws/a:b/image.tar");
        assertThatThrownBy(() -> BuildCommands.build(ImageBuilder.BUILDAH, colon))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("workspace: ")
                .hasMessageContaining("oci-archive:");
        assertThat(BuildCommands.build(ImageBuilder.PODMAN, colon)).hasSize(2);
        BuildOptions comma = new BuildOptions(null, null, null, null, LOCAL, "/ws/a,b/image.tar");
        assertThatThrownBy(() -> BuildCommands.build(ImageBuilder.BUILDX, comma))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--output");
    }

    @Test
    void refusesPathsThatWouldBeReadAsOptions() {
        assertThatThrownBy(() -> new BuildOptions("--privileged", null, null, null, LOCAL, OUT))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("dockerfile: \"--privileged\" starts with '-'");
        assertThatThrownBy(() -> new BuildOptions(null, "-", null, null, LOCAL, OUT))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("context: ");
        assertThatThrownBy(() -> new BuildOptions(null, "app\n--rm", null, null, LOCAL, OUT))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line break");
    }

    @Test
    void acceptsPlatformsInTheOciForm() {
        assertThat(new BuildOptions(null, null, null, "linux/arm64/v8", LOCAL, OUT).platform()).isEqualTo("linux/arm64/v8");
        assertThatThrownBy(() -> new BuildOptions(null, null, null, "arm64", LOCAL, OUT))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("platform: \"arm64\" is not a platform; expected " + BuildOptions.PLATFORM_FORM);
    }

    @Test
    void localImageNamesAreStableForASeedAndDifferBetweenSeeds() {
        String first = BuildOptions.localImageFor("job/shop/42#7");
        assertThat(first).isEqualTo(BuildOptions.localImageFor("job/shop/42#7")).matches("localhost/immutable-build:[0-9a-f]{20}");
        assertThat(BuildOptions.localImageFor("job/shop/42#8")).isNotEqualTo(first);
    }

    @Test
    void aFailedCommandIsNamedWithoutItsValues() {
        BuildFailedException failed = new BuildFailedException(List.of("buildah", "push", LOCAL, "oci-archive:" + OUT), 125);
        assertThat(failed).hasMessage("buildah push exited with status 125; its output above says why");
        assertThat(failed.status()).isEqualTo(125);
        assertThat(new BuildFailedException(List.of("docker", "buildx", "build", "--build-arg", "X=1"), 1))
                .hasMessageStartingWith("docker buildx build exited");
    }
}
