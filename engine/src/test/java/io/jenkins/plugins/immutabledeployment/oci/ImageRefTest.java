package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImageRefTest {

    private static final String HEX = "a".repeat(64);

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // text                                     | registry           | repository          | tag    | digest
        "alpine                                     | docker.io          | library/alpine      | -      | -",
        "alpine:3.20                                | docker.io          | library/alpine      | 3.20   | -",
        "docker.io/alpine                           | docker.io          | library/alpine      | -      | -",
        "index.docker.io/library/alpine:latest      | docker.io          | library/alpine      | latest | -",
        "jenkins/jenkins:lts                        | docker.io          | jenkins/jenkins     | lts    | -",
        "localhost/shop                             | localhost          | shop                | -      | -",
        "localhost:5000/shop/api:1.0                | localhost:5000     | shop/api            | 1.0    | -",
        "127.0.0.1:5000/a/b/c                       | 127.0.0.1:5000     | a/b/c               | -      | -",
        "[::1]:5000/shop/api:v1                     | [::1]:5000         | shop/api            | v1     | -",
        "[fe80::1]/x                                | [fe80::1]          | x                   | -      | -",
        "registry.example.com/shop/api              | registry.example.com | shop/api          | -      | -",
        "Registry.Example.COM/shop/api              | Registry.Example.COM | shop/api          | -      | -",
        "my-registry.example:443/a__b/c.d/e-f/g---h | my-registry.example:443 | a__b/c.d/e-f/g---h | - | -",
        "r.io/x:_tag.-1                             | r.io               | x                   | _tag.-1 | -",
    })
    void parsesAndNormalises(String text, String registry, String repository, String tag, String digest) {
        ImageRef ref = ImageRef.parse(text, "image");

        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest()).isNull();
        assertThat(ImageRef.parse(ref.toString(), "image")).isEqualTo(ref);
    }

    @Test
    void keepsTagAndDigestTogether() {
        ImageRef ref = ImageRef.parse("localhost:5000/shop/api:1.0@sha256:" + HEX, "image");

        assertThat(ref.tag()).isEqualTo("1.0");
        assertThat(ref.digest()).isEqualTo(new Digest("sha256", HEX));
        assertThat(ref).hasToString("localhost:5000/shop/api:1.0@sha256:" + HEX);
        assertThat(ref.reference()).isEqualTo("sha256:" + HEX);
        assertThat(ref.pinned("image")).hasToString("localhost:5000/shop/api@sha256:" + HEX);
    }

    @Test
    void canonicalFormSpellsOutDockerHub() {
        assertThat(ImageRef.parse("alpine", "image")).hasToString("docker.io/library/alpine");
        assertThat(ImageRef.parse("alpine", "image").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageRef.parse("localhost:5000/a", "image").apiHost()).isEqualTo("localhost:5000");
    }

    @Test
    void referenceIsLatestWithoutTagOrDigest() {
        assertThat(ImageRef.parse("r.io/a", "image").reference()).isEqualTo("latest");
    }

    @Test
    void refusesTagWhereDigestIsRequired() {
        ImageRef ref = ImageRef.parse("r.io/shop/api:1.0", "image");

        assertThatThrownBy(() -> ref.requireDigest("image"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("image: \"r.io/shop/api:1.0\" has no digest; expected REPO@sha256:<64 hex>");
    }

    @Test
    void refusesDigestWherePushComputesIt() {
        ImageRef ref = ImageRef.parse("r.io/shop/api@sha256:" + HEX, "image");

        assertThatThrownBy(() -> ref.requireNoDigest("image"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("REPO[:TAG]");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''                                     | is empty",
        "'  '                                   | is empty",
        "' r.io/a'                              | white space",
        "Shop/api                               | path component \"Shop\"",
        "r.io/Shop/api                          | must be lowercase",
        "r.io/shop/API:1                        | must be lowercase",
        "r.io//api                              | empty component",
        "r.io/api/                              | empty component",
        "/api                                   | empty component",
        "r.io/                                  | no repository after the registry",
        "r.io/-api                              | path component \"-api\"",
        "r.io/api-                              | path component \"api-\"",
        "r.io/a..b                              | path component \"a..b\"",
        "r.io/a___b                             | path component \"a___b\"",
        "r.io/a_.b                              | path component \"a_.b\"",
        "r.io/a b                               | path component \"a b\"",
        "r.io/a$                                | path component",
        "r.io/api:                              | tag \"\"",
        "r.io/api:.x                            | tag \".x\"",
        "r.io/api:-x                            | tag \"-x\"",
        "r.io/api:a/b                           | path component \"api:a\"",
        "r.io/api:x:y                           | tag \"x:y\"",
        "r.io/api@                              | digest \"\"",
        "r.io/api@sha256:abc                    | digest \"sha256:abc\"",
        "r.io/api@sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709 | digest",
        "r.io/api@SHA256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | digest",
        "r.io/api@sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | digest",
        "r.io/api@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | digest",
        "r.io:/api                              | registry port \"\"",
        "r.io:http/api                          | registry port \"http\"",
        "r.io:0/api                             | registry port \"0\"",
        "r.io:65536/api                         | registry port \"65536\"",
        "r.io:5000:6000/api                     | registry port \"5000:6000\"",
        "-r.io/api                              | registry host \"-r.io\"",
        "r..io/api                              | registry host \"r..io\"",
        "r_x.io/api                             | registry host \"r_x.io\"",
        "[::1/api                               | no closing ]",
        "[zz::1]:5000/api                       | not an IPv6 address",
        "[::1]x/api                             | junk after ]",
        "[::1]:5000                             | names a registry but no repository",
        "@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | no repository",
        ":tag                                   | no repository",
    })
    void refusesMalformedReferenceNamingThePart(String text, String part) {
        assertThatThrownBy(() -> ImageRef.parse(text, "to"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("to: ")
                .hasMessageContaining(part)
                .hasMessageContaining("; expected ")
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("to"));
    }

    @Test
    void refusesTagLongerThan128() {
        assertThat(ImageRef.parse("r.io/a:" + "t".repeat(128), "image").tag()).hasSize(128);
        assertThatThrownBy(() -> ImageRef.parse("r.io/a:" + "t".repeat(129), "image"))
                .hasMessageContaining("tag \"ttt");
    }

    @Test
    void limitsTheRepositoryPathTo255WithoutTheRegistryHost() {
        String path = "a".repeat(250);
        assertThat(ImageRef.parse("example.com/" + path + ":tag", "image").repository()).isEqualTo(path);
        assertThat(ImageRef.parse("example.com/" + "a".repeat(255), "image").repository()).hasSize(255);
        assertThatThrownBy(() -> ImageRef.parse("r.io/" + path + "/bbbbbb", "image"))
                .hasMessageContaining("repository path \"" + path + "/bbbbbb\" is 257 characters, more than 255");
        assertThatThrownBy(() -> ImageRef.parse("a".repeat(250) + "/bbbbbb", "image"))
                .as("Docker Hub's library/ prefix counts, as in distribution/reference")
                .hasMessageContaining("more than 255");
    }

    @Test
    void refusesASchemeAndSaysHowTheRegistryIsReached() {
        assertThatThrownBy(() -> ImageRef.parse("http://registry.example.com/shop/api:1", "image"))
                .isInstanceOf(ReferenceWithSchemeException.class)
                .hasMessageContaining("\"http://registry.example.com/shop/api:1\" starts with http://; a reference has no"
                        + " scheme: registry.example.com/shop/api:1");
        assertThat(((ReferenceWithSchemeException) catchThrowable(() -> ImageRef.parse("https://r.io/a", "to"))).scheme())
                .isEqualTo("https");
    }

    @Test
    void refusesCredentialsWithoutRepeatingThem() {
        assertThatThrownBy(() -> ImageRef.parse("alice:s3cret-pw@r.io/shop/api:1", "image"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("credentials do not belong in an image reference")
                .hasMessageNotContaining("s3cret-pw")
                .hasMessageNotContaining("alice");
        assertThatThrownBy(() -> ImageRef.parse("https://alice:s3cret-pw@r.io/shop/api", "image"))
                .hasMessageNotContaining("s3cret-pw");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:5003", "localhost:5000", "localhost", "registry.example.com",
        "registry.example.com:443", "my.app:1.0"})
    void refusesRegistryWithoutRepositoryInsteadOfTakingItForDockerHub(String text) {
        assertThatThrownBy(() -> ImageRef.parse(text, "image"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("names a registry but no repository");
    }
}
