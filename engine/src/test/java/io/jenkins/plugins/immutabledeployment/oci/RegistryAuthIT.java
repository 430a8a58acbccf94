package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real registry with htpasswd basic auth and with TLS from a test CA. */
class RegistryAuthIT {

    private static final String PASSWORD = "pa55-w0rd-never-shown";

    @TempDir
    Path work;

    @Test
    void pushesAndCopiesWithCredentialsFromAnAuthFile() throws Exception {
        try (RegistryServer registry = RegistryServer.withBasicAuth("alice", PASSWORD)) {
            Path authFile = work.resolve("auth.json");
            String auth = Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            Files.writeString(authFile, "{\"auths\":{\"http://" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
            RegistryConnection connection = registry.connection().withCredentials(AuthFile.read(authFile, "auth-file"));
            RegistryClient client = new RegistryClient(registry.host(), connection);
            client.ping();

            PushResult pushed = push(client, registry.ref("secure/app:1"));
            CopyResult copied = new ImageCopier(client, client, Progress.NONE)
                    .copy(ImageRef.parse(pushed.image(), "image"), registry.ref("secure/prod:1"), TagPolicy.IMMUTABLE);

            assertThat(client.resolve(registry.ref("secure/app:1"))).isEqualTo(pushed.digest());
            assertThat(copied.blobsMounted()).isEqualTo(2);
            assertThat(Skopeo.inspectDigest(registry, "secure/prod:1")).isEqualTo(pushed.digest());
        }
    }

    @Test
    void refusesWithoutCredentialsAndWithWrongOnesWritingNothing() {
        try (RegistryServer registry = RegistryServer.withBasicAuth("alice", PASSWORD)) {
            RegistryClient anonymous = new RegistryClient(registry.host(),
                    registry.connection().withCredentials(CredentialsSource.NONE));
            RegistryClient wrong = new RegistryClient(registry.host(), registry.connection()
                    .withCredentials(CredentialsSource.of(new Credentials("alice", "wrong-" + PASSWORD))));

            assertThatThrownBy(() -> push(anonymous, registry.ref("secure/app:1")))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("requires credentials");
            assertThatThrownBy(() -> push(wrong, registry.ref("secure/app:1")))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageNotContaining(PASSWORD)
                    .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(401));
            assertThat(registry.storageListing()).isEmpty();
        }
    }

    @Test
    void pushesOverTlsTrustingTheTestCaAndRefusesWithoutIt() {
        try (RegistryServer registry = RegistryServer.withTls()) {
            RegistryClient trusting = new RegistryClient(registry.host(), registry.connection());
            PushResult pushed = push(trusting, registry.ref("tls/app:1"));
            assertThat(Skopeo.inspectDigest(registry, "tls/app:1")).isEqualTo(pushed.digest());

            RegistryClient untrusting = new RegistryClient(registry.host(), registry.connection().withCaCertificate(null));
            assertThatThrownBy(untrusting::ping)
                    .isInstanceOf(RegistryConnectionException.class)
                    .hasMessageContaining("certificate is not trusted");
            RegistryClient plain = new RegistryClient(registry.host(), registry.connection().withPlainHttp(true));
            assertThatThrownBy(plain::ping).isInstanceOf(RegistryException.class);
        }
    }

    @Test
    void tlsAndBasicAuthWorkTogetherForSkopeoToo() {
        try (RegistryServer registry = RegistryServer.withTlsAndBasicAuth("bob", PASSWORD)) {
            RegistryClient client = new RegistryClient(registry.host(), registry.connection());
            PushResult pushed = push(client, registry.ref("both/app:1"));
            assertThat(client.listTags("both/app")).isEqualTo(List.of("1"));
            assertThat(Skopeo.inspectDigest(registry, "both/app:1")).isEqualTo(pushed.digest());
        }
    }

    private PushResult push(RegistryClient client, ImageRef target) {
        Path layout = Umoci.imageWithFiles(work.resolve("layout-" + System.nanoTime()), "v1", Map.of("s", "secret-free"));
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ImagePusher(client, Progress.NONE).push(archive, target, TagPolicy.IMMUTABLE);
        }
    }
}
