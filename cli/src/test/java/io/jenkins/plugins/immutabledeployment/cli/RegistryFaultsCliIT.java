package io.jenkins.plugins.immutabledeployment.cli;

import static io.jenkins.plugins.immutabledeployment.cli.CliIT.cli;
import static io.jenkins.plugins.immutabledeployment.cli.CliIT.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.testing.FaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in front of registry faults: verified resolve, announced retries, failures that say the fix. */
class RegistryFaultsCliIT {

    @TempDir
    Path work;

    @Test
    void resolvePrintsTheDigestOfTheBytesNotOfAWrongHeader() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(); FaultProxy proxy = FaultProxy.to(registry)) {
            PushResult pushed = CliFixtures.push(registry, work, "resolve/api:1", "resolved");
            proxy.wrongDigest("HEAD", "/v2/.*/manifests/.*", FaultProxy.FOREVER);

            CliRun verified = run("", "resolve", proxy.host() + "/resolve/api:1", "--plain-http");
            assertThat(verified.exitCode()).as(verified.stderr()).isZero();
            assertThat(verified.json().path("digest").asText()).isEqualTo(pushed.digest().toString());
            assertThat(verified.json().path("verified").asBoolean()).isTrue();

            CliRun trusting = run("", "resolve", proxy.host() + "/resolve/api:1", "--plain-http", "--no-verify");
            assertThat(trusting.json().path("verified").asBoolean()).isFalse();
            assertThat(trusting.json().path("digest").asText()).as("the header, taken on request")
                    .isNotEqualTo(pushed.digest().toString());
        }
    }

    @Test
    void retriesAreAnnouncedOnStderrAndQuietSilencesOnlyTheProgress() throws Exception {
        try (RegistryServer registry = RegistryServer.plain(); FaultProxy proxy = FaultProxy.to(registry)) {
            Path layout = Umoci.imageWithFiles(work.resolve("quiet"), "v1", Map.of("q", "quiet"));
            proxy.throttle("HEAD", "/v2/.*/blobs/.*", 0, 1);

            CliRun push = run("", "push", "--archive", layout.toString(), "--image", proxy.host() + "/quiet/api:1",
                    "--plain-http", "--quiet", "--no-provenance");

            assertThat(push.exitCode()).as(push.stderr()).isZero();
            assertThat(push.stderr()).contains("retrying check blob quiet/api@sha256:")
                    .contains("(attempt 2 of 5): HTTP 429")
                    .doesNotContain("Pushing");
        }
    }

    @Test
    void plainHttpAgainstATlsRegistryFailsAtOnceSayingToDropIt() throws Exception {
        try (RegistryServer registry = RegistryServer.withTls()) {
            CliRun resolve = run("", "resolve", registry.host() + "/any/api:1", "--plain-http");

            assertThat(resolve.exitCode()).isEqualTo(1);
            assertThat(resolve.json().path("error").path("kind").asText()).isEqualTo("registry-connection");
            assertThat(resolve.stderr()).contains("drop --plain-http").doesNotContain("retrying");
        }
    }

    @Test
    void credentialsInAReferenceAreRefusedWithoutBeingRepeated() throws Exception {
        try (RegistryServer registry = RegistryServer.plain()) {
            CliRun resolve = cli(registry, "", "resolve", "alice:Sup3r-Secret@" + registry.host() + "/any/api:1");

            assertThat(resolve.exitCode()).isEqualTo(2);
            assertThat(resolve.stdout() + resolve.stderr()).contains("credentials do not belong")
                    .doesNotContain("Sup3r-Secret");
        }
    }
}
