package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthFileTest {

    @TempDir
    Path dir;

    @Test
    void readsBase64AuthAndUsernamePasswordEntries() throws Exception {
        Path file = write("auth.json", "{\"auths\":{"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + base64("hub:hub-secret") + "\"},"
                + "\"localhost:5000\":{\"username\":\"local\",\"password\":\"local:secret\"},"
                + "\"https://REG.example.com/v2/\":{\"auth\":\"" + base64("reg:with:colons") + "\"},"
                + "\"helper.example\":{}}, \"credHelpers\":{\"x\":\"y\"}}");

        AuthFile auth = AuthFile.read(file, "auth-file");

        assertThat(auth.lookup("docker.io")).contains(new Credentials("hub", "hub-secret"));
        assertThat(auth.lookup("localhost:5000")).contains(new Credentials("local", "local:secret"));
        assertThat(auth.lookup("reg.example.com")).contains(new Credentials("reg", "with:colons"));
        assertThat(auth.lookup("helper.example")).isEmpty();
        assertThat(auth.lookup("other.example")).isEmpty();
    }

    @Test
    void refusesMalformedFilesWithoutQuotingSecrets() throws Exception {
        Path notJson = write("a.json", "{not json");
        Path badBase64 = write("b.json", "{\"auths\":{\"r.io\":{\"auth\":\"%%%secret%%%\"}}}");
        Path noColon = write("c.json", "{\"auths\":{\"r.io\":{\"auth\":\"" + base64("nocolonsecret") + "\"}}}");

        assertThatThrownBy(() -> AuthFile.read(notJson, "auth-file")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("auth-file: ");
        assertThatThrownBy(() -> AuthFile.read(badBase64, "auth-file")).hasMessageContaining("not base64")
                .hasMessageNotContaining("secret%");
        assertThatThrownBy(() -> AuthFile.read(noColon, "auth-file")).hasMessageContaining("user:password")
                .hasMessageNotContaining("nocolonsecret");
        assertThatThrownBy(() -> AuthFile.read(dir.resolve("missing.json"), "auth-file"))
                .hasMessageContaining("cannot read");
    }

    @Test
    void defaultLocationsAreSearchedInOrder() throws Exception {
        Path podman = write("run/containers/auth.json", "{\"auths\":{\"r.io\":{\"auth\":\"" + base64("podman:p") + "\"}}}");
        Path docker = write("home/.docker/config.json", "{\"auths\":{\"r.io\":{\"auth\":\"" + base64("docker:d") + "\"},"
                + "\"only-docker.io\":{\"auth\":\"" + base64("docker:d2") + "\"}}}");

        CredentialsSource source = AuthFile.defaults(Map.of("XDG_RUNTIME_DIR", dir.resolve("run").toString()),
                dir.resolve("home"));

        assertThat(source.lookup("r.io")).contains(new Credentials("podman", "p"));
        assertThat(source.lookup("only-docker.io")).contains(new Credentials("docker", "d2"));
        assertThat(AuthFile.defaults(Map.of(), dir.resolve("nowhere")).lookup("r.io")).isEqualTo(Optional.empty());
        assertThat(podman).exists();
        assertThat(docker).exists();
    }

    @Test
    void credentialsNeverShowThePassword() {
        assertThat(new Credentials("u", "hunter2").toString()).doesNotContain("hunter2");
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
