package io.jenkins.plugins.immutabledeployment.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuilderLookupTest {

    @Test
    void takesTheFirstFoundInLookupOrderAndProbesNoFurther() {
        List<ImageBuilder> probed = new ArrayList<>();
        ImageBuilder chosen = BuilderLookup.choose(null, b -> {
            probed.add(b);
            return Set.of(ImageBuilder.BUILDAH, ImageBuilder.PODMAN).contains(b);
        });
        assertThat(chosen).isEqualTo(ImageBuilder.BUILDAH);
        assertThat(probed).containsExactly(ImageBuilder.BUILDX, ImageBuilder.DOCKER, ImageBuilder.BUILDAH);
    }

    @Test
    void probesOnlyTheNamedBuilder() {
        List<ImageBuilder> probed = new ArrayList<>();
        assertThat(BuilderLookup.choose(ImageBuilder.PODMAN, b -> probed.add(b))).isEqualTo(ImageBuilder.PODMAN);
        assertThat(probed).containsExactly(ImageBuilder.PODMAN);
    }

    @Test
    void aMissingNamedBuilderIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> BuilderLookup.choose(ImageBuilder.BUILDAH, b -> b == ImageBuilder.DOCKER))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("builder: buildah was not found on the agent (buildah version failed); expected a builder the"
                        + " agent has (buildx, docker, buildah, podman), or archive: an image archive built by another tool");
    }

    @Test
    void noBuilderAtAllSaysWhatWasTried() {
        assertThatThrownBy(() -> BuilderLookup.choose(null, b -> false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("builder: no image builder was found on the agent (tried docker buildx, docker, buildah, podman)");
    }

    @Test
    void parsesBuilderNames() {
        assertThat(ImageBuilder.parse(" Buildah ", "builder")).isEqualTo(ImageBuilder.BUILDAH);
        assertThat(ImageBuilder.parse("", "builder")).isNull();
        assertThat(ImageBuilder.parse(null, "builder")).isNull();
        assertThatThrownBy(() -> ImageBuilder.parse("kaniko", "builder"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("builder: \"kaniko\" is not a builder; expected one of buildx, docker, buildah, podman");
    }

    @Test
    void dockerCountsOnlyWithAReachableDaemon() {
        assertThat(ImageBuilder.DOCKER.probe()).containsExactly("docker", "version", "--format", "{{.Server.Version}}");
        assertThat(ImageBuilder.BUILDX.probe()).containsExactly("docker", "buildx", "version");
    }
}
