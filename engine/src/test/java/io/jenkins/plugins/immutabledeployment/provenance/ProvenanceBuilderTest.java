package io.jenkins.plugins.immutabledeployment.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

class ProvenanceBuilderTest {

    static final Digest IMAGE = Digest.parse("sha256:5f1c2a7a1bba1c3d0d6f1e4c8b0a9e7d6c5b4a3928171605f4e3d2c1b0a99887");
    static final Digest BASE = Digest.parse("sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9");
    static final String COMMIT = "8d3c0e6f2a9b41d7c5e08f1a2b3c4d5e6f708192";

    /** The inputs of golden/provenance-statement.json. */
    static ProvenanceBuilder example() {
        return ProvenanceBuilder.forImage("registry.example.com/shop/api", IMAGE)
                .builderId("https://jenkins.example.com/job/shop/job/api/")
                .job("shop/api/main")
                .buildUrl("https://jenkins.example.com/job/shop/job/api/job/main/42/")
                .externalParameter("tag", "8d3c0e6f2a9b")
                .externalParameter("dockerfile", "Dockerfile")
                .externalParameter("buildParameters", Map.of("RELEASE", "true", "CHANNEL", "stable"))
                .internalParameter("builderTool", "buildah")
                .builderVersion("immutable-deployment", "0.1")
                .builderVersion("jenkins", "2.541.3")
                .sourceCommit(new SourceCommit("https://git.example.com/shop/api.git", COMMIT, "refs/heads/main"))
                .baseImage("docker.io/library/eclipse-temurin", BASE)
                .startedOn(Instant.parse("2025-03-01T10:00:00Z"))
                .finishedOn(Instant.parse("2025-03-01T10:04:31.250Z"));
    }

    @Test
    void serializesExactlyAsTheGoldenFile() throws IOException {
        JsonNode golden = golden("provenance-statement.json");
        byte[] actual = example().build().toJson();

        assertThat(new ObjectMapper().readTree(actual)).isEqualTo(golden);
        // Same fields in the same order, compact: the bytes that get signed.
        assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(new ObjectMapper().writeValueAsString(golden));
    }

    @Test
    void goldenStatementHasEveryFieldTheSpecsRequireInTheirShapes() throws IOException {
        JsonNode statement = golden("provenance-statement.json");

        // in-toto Statement v1: _type, subject[] with digest, predicateType, predicate
        assertThat(fieldNames(statement)).containsExactly("_type", "subject", "predicateType", "predicate");
        assertThat(statement.get("_type").textValue()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(statement.get("subject").isArray()).isTrue();
        JsonNode subject = statement.get("subject").get(0);
        assertThat(fieldNames(subject)).containsExactly("name", "digest");
        assertThat(subject.get("name").textValue()).isEqualTo("registry.example.com/shop/api");
        assertThat(fieldNames(subject.get("digest"))).containsExactly("sha256");
        assertThat(subject.get("digest").get("sha256").textValue()).isEqualTo(IMAGE.hex()).matches("[0-9a-f]{64}");
        assertThat(statement.get("predicateType").textValue()).isEqualTo("https://slsa.dev/provenance/v1");

        // SLSA Provenance v1: predicate {buildDefinition, runDetails}
        JsonNode predicate = statement.get("predicate");
        assertThat(fieldNames(predicate)).containsExactly("buildDefinition", "runDetails");
        JsonNode definition = predicate.get("buildDefinition");
        assertThat(fieldNames(definition))
                .containsExactly("buildType", "externalParameters", "internalParameters", "resolvedDependencies");
        assertThat(definition.get("buildType").textValue())
                .isEqualTo("https://jenkins.io/plugins/immutable-deployment/build/v1");
        assertThat(definition.get("externalParameters").isObject()).isTrue();
        assertThat(definition.get("externalParameters").get("job").textValue()).isEqualTo("shop/api/main");
        assertThat(definition.get("internalParameters").isObject()).isTrue();
        JsonNode dependencies = definition.get("resolvedDependencies");
        assertThat(dependencies.isArray()).isTrue();
        for (JsonNode dependency : dependencies) {
            assertThat(Set.of("name", "uri", "digest", "content", "downloadLocation", "mediaType", "annotations"))
                    .containsAll(fieldNames(dependency));
            assertThat(dependency.has("uri") || dependency.has("digest")).isTrue();
        }
        assertThat(dependencies.get(0).get("uri").textValue())
                .isEqualTo("git+https://git.example.com/shop/api.git@refs/heads/main");
        assertThat(dependencies.get(0).get("digest").get("gitCommit").textValue()).isEqualTo(COMMIT);
        assertThat(dependencies.get(1).get("name").textValue()).isEqualTo("docker.io/library/eclipse-temurin");
        assertThat(dependencies.get(1).get("digest").get("sha256").textValue()).isEqualTo(BASE.hex());

        JsonNode run = predicate.get("runDetails");
        assertThat(fieldNames(run)).containsExactly("builder", "metadata");
        assertThat(fieldNames(run.get("builder"))).containsExactly("id", "version");
        assertThat(run.get("builder").get("id").textValue()).isEqualTo("https://jenkins.example.com/job/shop/job/api/");
        run.get("builder").get("version").forEach(v -> assertThat(v.isTextual()).isTrue());
        JsonNode metadata = run.get("metadata");
        assertThat(fieldNames(metadata)).containsExactly("invocationId", "startedOn", "finishedOn");
        assertThat(metadata.get("invocationId").textValue())
                .isEqualTo("https://jenkins.example.com/job/shop/job/api/job/main/42/");
        // Timestamp: RFC 3339 in UTC ("Z")
        String rfc3339Utc = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";
        assertThat(metadata.get("startedOn").textValue()).matches(rfc3339Utc);
        assertThat(metadata.get("finishedOn").textValue()).matches(rfc3339Utc);
    }

    @Test
    void outputHasNoNullsAndNoEmptyOptionalFields() throws IOException {
        Statement minimal = ProvenanceBuilder.forImage("registry.example.com/shop/api", IMAGE)
                .builderId("https://jenkins.example.com/job/shop/")
                .job("shop")
                .buildUrl("https://jenkins.example.com/job/shop/1/")
                .externalParameter("ignored", null)
                .build();
        JsonNode tree = new ObjectMapper().readTree(minimal.toJson());

        assertThat(allValues(tree)).noneMatch(JsonNode::isNull);
        JsonNode definition = tree.get("predicate").get("buildDefinition");
        assertThat(fieldNames(definition)).containsExactly("buildType", "externalParameters");
        assertThat(definition.get("externalParameters").toString()).isEqualTo("{\"job\":\"shop\"}");
        assertThat(fieldNames(tree.get("predicate").get("runDetails"))).containsExactly("builder", "metadata");
        assertThat(fieldNames(tree.get("predicate").get("runDetails").get("metadata"))).containsExactly("invocationId");
    }

    @Test
    void sameFactsGiveTheSameBytesWhateverTheOrderTheyWereGivenIn() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", 1);
        nested.put("a", List.of("x", Map.of("z", true, "y", false)));
        ProvenanceBuilder one = example().externalParameter("zeta", nested).externalParameter("alpha", "1");
        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("a", List.of("x", Map.of("y", false, "z", true)));
        reversed.put("b", 1);
        ProvenanceBuilder two = example().externalParameter("alpha", "1").externalParameter("zeta", reversed);

        String json = new String(one.build().toJson(), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo(new String(two.build().toJson(), StandardCharsets.UTF_8));
        assertThat(json).contains("\"externalParameters\":{\"alpha\":\"1\",\"buildParameters\"")
                .contains("\"zeta\":{\"a\":[\"x\",{\"y\":false,\"z\":true}],\"b\":1}");
    }

    @Test
    void parsesBackToAnEqualStatementAndPredicate() {
        Statement statement = example().build();
        Statement parsed = Statement.parse(statement.toJson());

        assertThat(parsed).isEqualTo(statement);
        assertThat(parsed.predicateAs(SlsaProvenance.class)).isEqualTo(example().predicate());
        assertThat(parsed.hasSubject(IMAGE)).isTrue();
        assertThat(parsed.hasSubject(BASE)).isFalse();
    }

    @Test
    void credentialsInRepositoryAndBuildUrisNeverReachTheStatement() {
        String json = new String(ProvenanceBuilder.forImage("registry.example.com/shop/api", IMAGE)
                .builderId("https://ci:s3cr3t-builder@jenkins.example.com/job/shop/")
                .job("shop")
                .buildUrl("https://ci:s3cr3t-build@jenkins.example.com:8443/job/shop/1/?x=1")
                .sourceCommit(new SourceCommit("https://oauth2:ghp_t0ken@git.example.com/shop/api.git", COMMIT, null))
                .sourceCommit(new SourceCommit("git@git.example.com:shop/lib.git", COMMIT, "refs/tags/v1"))
                .build()
                .toJson(), StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("s3cr3t").doesNotContain("ghp_t0ken").doesNotContain("oauth2").doesNotContain("ci:");
        assertThat(json)
                .contains("\"id\":\"https://jenkins.example.com/job/shop/\"")
                .contains("\"invocationId\":\"https://jenkins.example.com:8443/job/shop/1/?x=1\"")
                .contains("\"uri\":\"git+https://git.example.com/shop/api.git\"")
                .contains("\"uri\":\"git+ssh://git.example.com/shop/lib.git@refs/tags/v1\"");
    }

    @Test
    void refusesAnUnparsableUriWithoutQuotingIt() {
        assertThatThrownBy(() -> example().buildUrl("https://user:pa ss@jenkins"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("buildUrl: is not a valid URI")
                .hasMessageNotContaining("pa ss");
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://ci.example.com/1"})
    void refusesBuildUrlsAndBuilderIdsThatAreNotWebAddresses(String url) {
        assertThatThrownBy(() -> example().buildUrl(url))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("buildUrl: has the scheme")
                .hasMessageContaining("http, https or urn");
        assertThatThrownBy(() -> example().builderId(url))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("builderId: has the scheme");
    }

    @Test
    void refusesUnboundedFreeTextNamingTheLimit() {
        assertThatThrownBy(() -> example().job("j".repeat(100_000)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("job: is 100000 characters long, more than the 512 recorded");
        assertThatThrownBy(() -> example().buildUrl("https://ci.example.com/" + "x".repeat(3000)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than the 2048 recorded");
        assertThat(example().buildUrl("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")).isNotNull();
    }

    @Test
    void refusesMissingRequiredFactsNamingThem() {
        ProvenanceBuilder noBuilder = ProvenanceBuilder.forImage("r.example.com/a", IMAGE).job("a")
                .buildUrl("https://j.example.com/job/a/1/");
        ProvenanceBuilder noUrl = ProvenanceBuilder.forImage("r.example.com/a", IMAGE).job("a")
                .builderId("https://j.example.com/job/a/");
        ProvenanceBuilder noJob = ProvenanceBuilder.forImage("r.example.com/a", IMAGE)
                .builderId("https://j.example.com/job/a/").buildUrl("https://j.example.com/job/a/1/");

        assertThatThrownBy(noBuilder::build).hasMessageStartingWith("builderId: is missing");
        assertThatThrownBy(noUrl::build).hasMessageStartingWith("buildUrl: is missing");
        assertThatThrownBy(noJob::build).hasMessageStartingWith("job: is missing");
        assertThatThrownBy(() -> example().builderId("jenkins/job/a")).hasMessageStartingWith("builderId: is not an absolute URI");
        assertThatThrownBy(() -> ProvenanceBuilder.forImage("bad name", IMAGE).builderId("https://j/").job("a")
                .buildUrl("https://j/1/").build()).hasMessageStartingWith("image: ");
    }

    @Test
    void refusesBadSourceCommitsAndTimes() {
        assertThatThrownBy(() -> new SourceCommit("https://g.example.com/a.git", "8d3c0e6", null))
                .hasMessageStartingWith("sourceCommit.commit: \"8d3c0e6\" is not a full commit id");
        assertThatThrownBy(() -> new SourceCommit("", COMMIT, null)).hasMessageStartingWith("sourceCommit.repository: is empty");
        assertThatThrownBy(() -> new SourceCommit("https://g.example.com/a.git", COMMIT, "main branch"))
                .hasMessageStartingWith("sourceCommit.ref: ");
        assertThatThrownBy(() -> example().finishedOn(Instant.parse("2025-03-01T09:00:00Z")).build())
                .hasMessageStartingWith("finishedOn: ");
        assertThatThrownBy(() -> example().externalParameter("when", Instant.EPOCH).build())
                .hasMessageStartingWith("externalParameters.when: is a Instant");
        assertThat(new SourceCommit("/srv/git/a.git", COMMIT.toUpperCase(), null).toResourceDescriptor().uri())
                .isEqualTo("git+file:///srv/git/a.git");
        assertThat(new SourceCommit("/srv/git/a.git", COMMIT.toUpperCase(), null).commit()).isEqualTo(COMMIT);
    }

    static JsonNode golden(String name) throws IOException {
        try (InputStream in = ProvenanceBuilderTest.class.getResourceAsStream("golden/" + name)) {
            assertThat(in).as("golden/" + name).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> allValues(JsonNode node) {
        List<JsonNode> all = new ArrayList<>(List.of(node));
        node.forEach(child -> all.addAll(allValues(child)));
        return all;
    }
}
