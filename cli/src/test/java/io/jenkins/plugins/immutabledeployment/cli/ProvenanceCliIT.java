package io.jenkins.plugins.immutabledeployment.cli;

import static io.jenkins.plugins.immutabledeployment.cli.CliIT.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.testing.OpensslKeys;
import io.jenkins.plugins.immutabledeployment.testing.RegistriesAndKeys;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push} with provenance, {@code promote} and {@code verify}, driven as a black box against two real
 * registries, with keys made by openssl: JSON results, exit codes, and no trace of the private key anywhere.
 */
class ProvenanceCliIT {

    @RegisterExtension
    static final RegistriesAndKeys env = new RegistriesAndKeys("signer");

    private final RegistryServer registry = env.registry();
    private final RegistryServer other = env.other();
    private final OpensslKeys signer = env.keys("signer");

    @TempDir
    Path work;

    private final List<CliRun> runs = new ArrayList<>();

    @Test
    void pushWithProvenancePromoteAcrossRegistriesAndVerify() throws Exception {
        Path layout = Umoci.imageWithFiles(work.resolve("app"), "v1", Map.of("app", "release"));
        Path bom = Files.writeString(work.resolve("bom.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}");

        CliRun push = ok(cli(registry, "", "push", "--archive", layout.toString(), "--image", registry.host() + "/dev/app:1",
                "--sign-key", signer.privateKey().toString(), "--sbom", bom.toString(),
                "--build-url", "https://ci.example.com/job/app/42/", "--job", "app"));
        String digest = push.json().path("digest").asText();
        assertThat(push.json().path("provenance").asText()).startsWith("sha256:");
        assertThat(push.json().path("signed").asBoolean()).isTrue();
        assertThat(push.json().path("sbom").asText()).startsWith("sha256:");
        assertThat(push.json().path("referrers").asText()).isEqualTo("tag-schema");
        assertThat(push.stderr()).contains("Attached signed provenance");

        CliRun verifyDev = ok(cli(registry, "", "verify", "--image", registry.host() + "/dev/app@" + digest,
                "--public-key", signer.publicKey().toString()));
        assertThat(verifyDev.json().path("provenanceVerified").asBoolean()).isTrue();
        assertThat(verifyDev.json().path("provenance").get(0).path("verified").asBoolean()).isTrue();
        assertThat(verifyDev.json().path("provenance").get(0).path("buildUrl").asText())
                .isEqualTo("https://ci.example.com/job/app/42/");
        assertThat(verifyDev.json().path("sboms")).hasSize(1);

        CliRun staging = ok(cli(registry, "", "promote", "--image", registry.host() + "/dev/app@" + digest,
                "--to", registry.host() + "/staging/app:rc-1", "--stage", "staging", "--approved-by", "alice",
                "--sign-key", signer.privateKey().toString()));
        assertThat(staging.json().path("stage").asText()).isEqualTo("staging");
        assertThat(staging.json().path("approver").asText()).isEqualTo("alice");
        assertThat(staging.json().path("referrersCopied").asInt()).isEqualTo(2);
        assertThat(staging.json().path("referrers").asText()).isEqualTo("tag-schema");
        CliRun copy = ok(cli(registry, "", "copy", "--image", registry.host() + "/dev/app@" + digest,
                "--to", registry.host() + "/mirror/app:1"));
        assertThat(copy.json().path("referrersCopied").asInt()).as("one shape in every command").isEqualTo(2);
        assertThat(copy.json().path("referrers").isTextual()).isTrue();
        assertThat(copy.json().path("referrers").asText()).isEqualTo("tag-schema");
        assertThat(verifyDev.json().path("referrers").asText()).isEqualTo("tag-schema");

        // cross-registry: the auth file (none here) and --plain-http apply to both registries
        CliRun production = ok(cli(registry, "", "promote", "--image", registry.host() + "/staging/app@" + digest,
                "--to", other.host() + "/prod/app:release-1", "--stage", "production",
                "--require-provenance", "--public-key", signer.publicKey().toString(),
                "--require-promoted-to", "staging", "--sign-key", signer.privateKey().toString()));
        assertThat(production.json().path("digest").asText()).isEqualTo(digest);
        assertThat(production.json().path("gates")).hasSize(2);
        assertThat(Skopeo.inspectDigest(other, "prod/app:release-1").toString()).isEqualTo(digest);

        CliRun verifyProd = ok(cli(other, "", "verify", "--image", other.host() + "/prod/app@" + digest,
                "--public-key", signer.publicKey().toString()));
        JsonNode report = verifyProd.json();
        assertThat(report.path("provenanceVerified").asBoolean()).isTrue();
        assertThat(report.path("promotions")).hasSize(2);
        assertThat(report.path("promotions").get(0).path("stage").asText()).isEqualTo("staging");
        assertThat(report.path("promotions").get(0).path("approval").path("approver").asText()).isEqualTo("alice");
        assertThat(report.path("promotions").get(1).path("stage").asText()).isEqualTo("production");
        report.path("promotions").forEach(p -> assertThat(p.path("verified").asBoolean()).isTrue());
        report.path("promotions").forEach(p -> assertThat(p.has("resolvedFrom")).as("given by digest").isFalse());

        for (CliRun run : runs) {
            for (String fragment : signer.secretFragments()) {
                assertThat(run.stdout()).doesNotContain(fragment);
                assertThat(run.stderr()).doesNotContain(fragment);
            }
        }
    }

    @Test
    void badInputExitsWith2AndAFailedGateWith1AndNeitherWritesAnything() throws Exception {
        Path layout = Umoci.imageWithFiles(work.resolve("gate"), "v1", Map.of("app", "gate"));
        CliRun push = ok(cli(registry, "", "push", "--archive", layout.toString(), "--image",
                registry.host() + "/gate/app:candidate", "--no-provenance"));
        assertThat(push.json().has("provenance")).isFalse();
        String digest = push.json().path("digest").asText();
        Path notSbom = Files.writeString(work.resolve("package.json"), "{\"name\":\"not an sbom\"}");
        List<String> before = registry.storageListing();

        CliRun tagOnly = cli(registry, "", "promote", "--image", registry.host() + "/gate/app:candidate",
                "--to", registry.host() + "/gate/prod:1");
        assertThat(tagOnly.exitCode()).isEqualTo(2);
        assertThat(tagOnly.json().path("error").path("field").asText()).isEqualTo("image");
        CliRun gate = cli(registry, "", "promote", "--image", registry.host() + "/gate/app@" + digest,
                "--to", registry.host() + "/gate/prod:1", "--require-provenance");
        assertThat(gate.exitCode()).isEqualTo(1);
        assertThat(gate.json().path("error").path("kind").asText()).isEqualTo("gate-failed");
        assertThat(gate.stderr()).contains("gate --require-provenance failed").contains("nothing was written")
                .doesNotContain("requireProvenance");
        assertThat(tagOnly.stderr()).contains("--resolve to pin the tag once");
        CliRun wrongRepository = cli(registry, "", "promote", "--image", registry.host() + "/gate/app@" + digest,
                "--to", registry.host() + "/gate/prod:1", "--require-promoted-to", "staging");
        assertThat(wrongRepository.exitCode()).isEqualTo(1);
        assertThat(wrongRepository.stderr()).contains("gate --require-promoted-to failed")
                .contains("A promotion record is attached to the digest in the repository promoted to");
        CliRun unverified = cli(registry, "", "verify", "--image", registry.host() + "/gate/app@" + digest,
                "--public-key", signer.publicKey().toString());
        assertThat(unverified.exitCode()).as("a key given and nothing verifies with it").isEqualTo(1);
        assertThat(unverified.json().path("error").path("kind").asText()).isEqualTo("unverified");
        assertThat(unverified.json().path("error").path("report").path("digest").asText()).isEqualTo(digest);
        CliRun reportOnly = ok(cli(registry, "", "verify", "--image", registry.host() + "/gate/app@" + digest,
                "--public-key", signer.publicKey().toString(), "--report-only"));
        assertThat(reportOnly.json().path("provenanceVerified").asBoolean()).isFalse();
        CliRun badSbom = cli(registry, "", "push", "--archive", layout.toString(), "--image",
                registry.host() + "/gate/other:1", "--sbom", notSbom.toString());
        assertThat(badSbom.exitCode()).isEqualTo(2);
        assertThat(badSbom.json().path("error").path("field").asText()).isEqualTo("sbom");
        CliRun signWithout = cli(registry, "", "push", "--archive", layout.toString(), "--image",
                registry.host() + "/gate/other:1", "--no-provenance", "--sign-key", signer.privateKey().toString());
        assertThat(signWithout.exitCode()).isEqualTo(2);
        assertThat(signWithout.json().path("error").path("field").asText()).isEqualTo("sign-key");
        CliRun publicAsPrivate = cli(registry, "", "push", "--archive", layout.toString(), "--image",
                registry.host() + "/gate/other:1", "--sign-key", signer.publicKey().toString());
        assertThat(publicAsPrivate.exitCode()).isEqualTo(2);
        CliRun verifyTag = cli(registry, "", "verify", "--image", registry.host() + "/gate/app:candidate");
        assertThat(verifyTag.exitCode()).isEqualTo(2);

        assertThat(registry.storageListing()).isEqualTo(before);

        CliRun resolved = ok(cli(registry, "", "promote", "--image", registry.host() + "/gate/app:candidate",
                "--to", registry.host() + "/gate/prod:1", "--resolve"));
        assertThat(resolved.json().path("digest").asText()).isEqualTo(digest);
        assertThat(resolved.json().path("resolvedFrom").asText()).isEqualTo(registry.host() + "/gate/app:candidate");
        assertThat(resolved.json().path("stage").asText()).isEqualTo("gate.prod");
        CliRun promoted = ok(cli(registry, "", "verify", "--image", registry.host() + "/gate/prod@" + digest));
        assertThat(promoted.json().path("promotions")).singleElement().satisfies(p -> {
            assertThat(p.path("from").asText()).isEqualTo(registry.host() + "/gate/app@" + digest);
            assertThat(p.path("resolvedFrom").asText()).as("the attestation names the tag")
                    .isEqualTo(registry.host() + "/gate/app:candidate");
        });
    }

    private CliRun ok(CliRun run) throws Exception {
        runs.add(run);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines()).hasSize(1);
        return run;
    }
}
