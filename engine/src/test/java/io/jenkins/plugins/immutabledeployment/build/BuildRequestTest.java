package io.jenkins.plugins.immutabledeployment.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildRequestTest {

    private static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void aDockerfileBuildWithDefaults() {
        BuildRequest request = BuildRequest.parse(params("image", "registry.example.com/shop/api", "tag", "3f2a9c1b7d4e"));
        assertThat(request.fromArchive()).isFalse();
        assertThat(request.target().toString()).isEqualTo("registry.example.com/shop/api:3f2a9c1b7d4e");
        assertThat(request.tagPolicy()).isEqualTo(TagPolicy.IMMUTABLE);
        assertThat(request.builder()).isNull();
        BuildOptions options = request.options("localhost/immutable-build:x", "/tmp/out.tar");
        assertThat(options.context()).isEqualTo(".");
        assertThat(options.dockerfile()).isNull();
        assertThat(request.externalParameters()).containsOnlyKeys("image", "tagPolicy");
    }

    @Test
    void anArchiveIsPushedAsItIs() {
        BuildRequest request = BuildRequest.parse(params("image", "localhost:5000/api:dev", "archive", "build/image.tar",
                "tagPolicy", "overwrite", "buildArgs", Map.of()));
        assertThat(request.fromArchive()).isTrue();
        assertThat(request.archive()).isEqualTo("build/image.tar");
        assertThat(request.tagPolicy()).isEqualTo(TagPolicy.OVERWRITE);
        assertThat(request.externalParameters()).containsEntry("archive", "build/image.tar");
    }

    @Test
    void anArchiveCannotBeCombinedWithBuildInputs() {
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "archive", "image.tar", "dockerfile", "Dockerfile")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("archive: cannot be combined with dockerfile: an archive is pushed as it is, nothing is built;"
                        + " expected either archive or a Dockerfile build");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "archive", "image.tar", "buildArgs", Map.of("A", 1))))
                .hasMessageStartingWith("archive: cannot be combined with buildArgs");
    }

    @Test
    void theTagMayBeGivenInEitherPlaceButNotDifferently() {
        assertThat(BuildRequest.parse(params("image", "localhost:5000/api:1", "tag", "1")).target().tag()).isEqualTo("1");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api:1", "tag", "2")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("tag: \"2\" differs from the tag \"1\" in image");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "tag", "-bad")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("tag: \"-bad\" is not a tag; expected " + StepParameters.TAG_FORM);
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "tag", "a/b")))
                .hasMessageStartingWith("tag: \"a/b\" is not a tag");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "tag", "a@sha256:" + "ab".repeat(32))))
                .hasMessageStartingWith("tag: ");
    }

    @Test
    void refusesWhatCannotBePushed() {
        assertThatThrownBy(() -> BuildRequest.parse(params("tag", "1")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("image: is missing");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api@sha256:" + "ab".repeat(32))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("the digest is computed from what is pushed");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "Shop/API")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("image: ");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "tagPolicy", "sometimes")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("tagPolicy: ");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "builder", "kaniko")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("builder: ");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "platform", "arm")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("platform: ");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "context", "--network=host")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("context: ");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "buildArgs", "A=1")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("buildArgs: is not a map");
        assertThatThrownBy(() -> BuildRequest.parse(params("image", "localhost:5000/api", "push", true)))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("push: is not a parameter of immutableBuild");
    }

    @Test
    void recordsEveryInputTheUserControlsForTheProvenance() {
        BuildRequest request = BuildRequest.parse(params("image", "registry.example.com/shop/api", "tag", "t1", "builder", "podman",
                "dockerfile", "docker/Dockerfile", "context", "app", "buildArgs", Map.of("VERSION", "1.4"), "platform", "linux/amd64"));
        assertThat(request.externalParameters()).containsExactly(
                Map.entry("image", "registry.example.com/shop/api:t1"), Map.entry("tagPolicy", "immutable"),
                Map.entry("builder", "podman"), Map.entry("dockerfile", "docker/Dockerfile"), Map.entry("context", "app"),
                Map.entry("buildArgs", Map.of("VERSION", "1.4")), Map.entry("platform", "linux/amd64"));
    }
}
