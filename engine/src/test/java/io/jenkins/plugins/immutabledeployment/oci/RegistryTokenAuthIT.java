package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.TokenServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real registry in Bearer token mode: tokens per scope from a token service, as Docker Hub, GHCR, Harbor do. */
class RegistryTokenAuthIT {

    private static final String PASSWORD = "token-service-password";

    @TempDir
    Path work;

    @Test
    void pushesResolvesAndMountsWithTokensFetchedOncePerScope() {
        try (TokenServer tokens = TokenServer.start("carol", PASSWORD);
             RegistryServer registry = RegistryServer.withTokenAuth(tokens)) {
            RegistryClient client = new RegistryClient(registry.host(), registry.connection());
            Path layout = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("t", "tokens"));

            PushResult pushed;
            try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
                pushed = new ImagePusher(client, Progress.NONE).push(archive, registry.ref("team/app:1"), TagPolicy.IMMUTABLE);
            }
            int afterPush = tokens.tokensIssued();
            assertThat(afterPush).as("a pull token for the tag check, a pull,push token for the upload").isEqualTo(2);

            long before = client.stats().requests();
            assertThat(client.resolve("team/app", "1")).contains(pushed.digest());
            assertThat(client.stats().requests() - before).as("one HEAD when warm").isEqualTo(1);
            assertThat(tokens.tokensIssued()).isEqualTo(afterPush);

            CopyResult copy = new ImageCopier(client, client, Progress.NONE)
                    .copy(ImageRef.parse(pushed.image(), "image"), registry.ref("prod/app:1"), TagPolicy.IMMUTABLE);
            assertThat(copy.blobsMounted()).isEqualTo(2);
            assertThat(tokens.requests()).anyMatch(query -> query.contains("scope=repository:prod/app:pull,push")
                    && query.contains("scope=repository:team/app:pull"));
            assertThat(tokens.requests()).allMatch(query -> query.contains("service=" + TokenServer.SERVICE));
            assertThat(Skopeo.inspectDigest(registry, "prod/app:1")).isEqualTo(pushed.digest());
        }
    }

    @Test
    void tlsRegistryWhoseTokenRealmIsPlainHttpGetsNoCredentialsSentThere() {
        try (TokenServer tokens = TokenServer.start("carol", PASSWORD);
             RegistryServer registry = RegistryServer.withTlsAndTokenAuth(tokens)) {
            assertThat(tokens.realm()).startsWith("http://");
            RegistryClient client = new RegistryClient(registry.host(), registry.connection());

            assertThatThrownBy(() -> client.resolve("team/app", "1"))
                    .isInstanceOf(UnsafeTokenRealmException.class)
                    .hasMessageContaining(tokens.realm())
                    .hasMessageContaining("not sent in clear text")
                    .hasMessageNotContaining(PASSWORD);
            assertThat(tokens.requests()).as("requests the token service received").isEmpty();
        }
    }

    @Test
    void refusedCredentialsAndAnonymousAccessFailWithoutShowingSecrets() {
        try (TokenServer tokens = TokenServer.start("carol", PASSWORD);
             RegistryServer registry = RegistryServer.withTokenAuth(tokens)) {
            RegistryClient wrong = new RegistryClient(registry.host(), registry.connection()
                    .withCredentials(CredentialsSource.of(new Credentials("carol", "not-" + PASSWORD))));
            RegistryClient anonymous = new RegistryClient(registry.host(),
                    registry.connection().withCredentials(CredentialsSource.NONE));

            assertThatThrownBy(() -> wrong.resolve("team/app", "1"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("refused the credentials")
                    .hasMessageNotContaining(PASSWORD);
            assertThatThrownBy(() -> anonymous.resolve("team/app", "1"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("HTTP 401");
        }
    }
}
