package io.jenkins.plugins.immutabledeployment.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.model.ProvenanceView;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import io.jenkins.plugins.immutabledeployment.provenance.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildContextTest {

    private static final Digest DIGEST = Digest.parse("sha256:" + "9f".repeat(32));
    private static final String SHA = "2f22765d04931a078909145ca628d2264c852d7d";
    private static final Instant START = Instant.parse("2025-06-03T09:12:04Z");
    private static final Instant END = Instant.parse("2025-06-03T09:15:41Z");

    private static BuildContext context() {
        return new BuildContext(
                BuildContext.builderId("https://jenkins.example.com/", "job/shop/job/api/"),
                "shop/api",
                BuildContext.buildUrl("https://jenkins.example.com", "job/shop/job/api/42/"),
                START,
                Map.of("RELEASE", "true"),
                "linux-agent-3",
                List.of(new SourceCommit("https://git.example.com/shop/api.git", SHA, "refs/heads/main")));
    }

    @Test
    void joinsTheJenkinsUrlAndTheJobUrl() {
        assertThat(context().builderId()).isEqualTo("https://jenkins.example.com/job/shop/job/api/");
        assertThat(context().buildUrl()).isEqualTo("https://jenkins.example.com/job/shop/job/api/42/");
        assertThatThrownBy(() -> BuildContext.builderId(null, "job/shop/"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Jenkins URL: is not configured");
    }

    @Test
    void theProvenanceSaysWhoBuiltWhatFromWhichCommit() {
        BuildRequest request = BuildRequest.parse(Map.of("image", "registry.example.com/shop/api", "tag", "t1", "builder", "buildah"));
        ProvenanceInputs inputs = context().inputs(request, ImageBuilder.BUILDAH, "0.1");
        Statement statement = inputs.statement("registry.example.com/shop/api", DIGEST, END);

        JsonNode json = Json.mapper().valueToTree(statement);
        assertThat(statement.hasSubject(DIGEST)).isTrue();
        JsonNode definition = json.at("/predicate/buildDefinition");
        assertThat(definition.at("/externalParameters/job").asText()).isEqualTo("shop/api");
        assertThat(definition.at("/externalParameters/image").asText()).isEqualTo("registry.example.com/shop/api:t1");
        assertThat(definition.at("/externalParameters/parameters/RELEASE").asText()).isEqualTo("true");
        assertThat(definition.at("/internalParameters/agent").asText()).isEqualTo("linux-agent-3");
        assertThat(definition.at("/internalParameters/builder").asText()).isEqualTo("buildah");
        assertThat(definition.at("/resolvedDependencies/0/digest/gitCommit").asText()).isEqualTo(SHA);
        JsonNode run = json.at("/predicate/runDetails");
        assertThat(run.at("/builder/id").asText()).isEqualTo("https://jenkins.example.com/job/shop/job/api/");
        assertThat(run.at("/builder/version/immutable-deployment").asText()).isEqualTo("0.1");
        assertThat(run.at("/metadata/invocationId").asText()).isEqualTo("https://jenkins.example.com/job/shop/job/api/42/");
        assertThat(run.at("/metadata/startedOn").asText()).isEqualTo("2025-06-03T09:12:04Z");
        assertThat(run.at("/metadata/finishedOn").asText()).isEqualTo("2025-06-03T09:15:41Z");
    }

    @Test
    void anImageFromAnArchiveHasNoBuilderAndNoAgentIsLeftOut() {
        BuildContext noAgent = new BuildContext(context().builderId(), "shop/api", context().buildUrl(), START, null, null, null);
        BuildRequest request = BuildRequest.parse(Map.of("image", "registry.example.com/shop/api", "archive", "image.tar"));
        ProvenanceInputs inputs = noAgent.inputs(request, null, "0.1");
        assertThat(inputs.internalParameters()).isEmpty();
        assertThat(inputs.externalParameters()).containsEntry("archive", "image.tar").doesNotContainKey("parameters");
        assertThat(inputs.sources()).isEmpty();
    }

    @Test
    void theViewNeverClaimsMoreThanTheAttestation() {
        String attestation = "sha256:" + "df".repeat(32);
        ProvenanceView unsigned = context().view(attestation, false, null, END);
        assertThat(unsigned.signed()).isFalse();
        assertThat(unsigned.verified()).isFalse();
        assertThat(unsigned.sources()).singleElement().satisfies(s -> assertThat(s.commit()).isEqualTo(SHA));
        assertThat(unsigned.attestationDigest()).isEqualTo(attestation);

        ProvenanceView signed = context().view(attestation, true, "release-2025", END);
        assertThat(signed.signed()).isTrue();
        assertThat(signed.verified()).isFalse();
        assertThat(signed.keyId()).isEqualTo("release-2025");
    }
}
