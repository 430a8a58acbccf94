package io.jenkins.plugins.immutabledeployment.provenance;

import static io.jenkins.plugins.immutabledeployment.provenance.ProvenanceBuilderTest.IMAGE;
import static io.jenkins.plugins.immutabledeployment.provenance.ProvenanceBuilderTest.fieldNames;
import static io.jenkins.plugins.immutabledeployment.provenance.ProvenanceBuilderTest.golden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PromotionPredicateTest {

    static final String FROM = "registry.example.com/shop/api@" + IMAGE;

    static PromotionPredicate example() {
        return new PromotionPredicate(
                "production",
                FROM,
                "registry.example.com/shop-prod/api:release-42",
                "registry.example.com/shop/api:8d3c0e6f2a9b",
                new PromotionPredicate.Approval("alice", Instant.parse("2025-03-02T08:15:00Z"), "ship it"),
                "https://jenkins.example.com/job/shop/job/release/7/",
                Instant.parse("2025-03-02T08:16:12Z"));
    }

    @Test
    void withMethodsFillTheOptionalFields() {
        PromotionPredicate built = PromotionPredicate.of("production", FROM,
                        "registry.example.com/shop-prod/api:release-42", Instant.parse("2025-03-02T08:16:12Z"))
                .withResolvedFrom("registry.example.com/shop/api:8d3c0e6f2a9b")
                .withApproval(new PromotionPredicate.Approval("alice", Instant.parse("2025-03-02T08:15:00Z"), "ship it"))
                .withBuildUrl("https://jenkins.example.com/job/shop/job/release/7/");

        assertThat(built).isEqualTo(example());
    }

    @Test
    void serializesExactlyAsTheGoldenFile() throws IOException {
        JsonNode golden = golden("promotion-statement.json");
        byte[] actual = example().toStatement("registry.example.com/shop-prod/api", IMAGE).toJson();

        assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(new ObjectMapper().writeValueAsString(golden));
        assertThat(fieldNames(golden)).containsExactly("_type", "subject", "predicateType", "predicate");
        assertThat(golden.get("predicateType").textValue())
                .isEqualTo("https://jenkins.io/plugins/immutable-deployment/promotion/v1");
    }

    @Test
    void parsesBack() {
        Statement statement = example().toStatement("registry.example.com/shop-prod/api", IMAGE);

        Statement parsed = Statement.parse(statement.toJson());
        assertThat(parsed.predicateType()).isEqualTo(PromotionPredicate.PREDICATE_TYPE);
        assertThat(parsed.predicateAs(PromotionPredicate.class)).isEqualTo(example());
        assertThat(parsed.predicateAs(PromotionPredicate.class).fromDigest()).isEqualTo(IMAGE);
    }

    @Test
    void leavesOutWhatDidNotHappen() {
        PromotionPredicate automatic =
                PromotionPredicate.of("staging", FROM, "registry.example.com/shop-staging/api", Instant.EPOCH);

        assertThat(new String(automatic.toStatement("registry.example.com/shop-staging/api", IMAGE).toJson(),
                StandardCharsets.UTF_8))
                .endsWith("\"predicate\":{\"stage\":\"staging\",\"from\":\"" + FROM
                        + "\",\"to\":\"registry.example.com/shop-staging/api\",\"promotedAt\":\"1970-01-01T00:00:00Z\"}}");
    }

    @Test
    void refusesUnboundedApprovalTextNamingTheLimit() {
        Instant now = Instant.parse("2025-03-02T08:15:00Z");
        assertThatThrownBy(() -> new PromotionPredicate.Approval("alice", now, "c".repeat(100_000)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("approvalComment: is 100000 characters long, more than the 4096 recorded");
        assertThatThrownBy(() -> new PromotionPredicate.Approval("a".repeat(300), now, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("approver: is 300 characters long");
        assertThatThrownBy(() -> example().withBuildUrl("javascript:alert(1)"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("buildUrl: has the scheme \"javascript:\"");
    }

    @Test
    void refusesATagOnlySource() {
        assertThatThrownBy(() -> new PromotionPredicate(
                "prod", "registry.example.com/shop/api:latest", "r.example.com/x", null, null, null, Instant.EPOCH))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("from: \"registry.example.com/shop/api:latest\" is not pinned by digest;"
                        + " expected REGISTRY/REPOSITORY@sha256:<64 hex>");
        assertThatThrownBy(() -> new PromotionPredicate(
                "prod", "registry.example.com/shop/api@sha256:abc", "r.example.com/x", null, null, null, Instant.EPOCH))
                .hasMessageStartingWith("from: \"registry.example.com/shop/api@sha256:abc\" has no valid digest");
    }

    @Test
    void refusesAStatementAboutAnotherDigestThanTheSource() {
        Digest other = Digest.sha256(new byte[] {1});

        assertThatThrownBy(() -> example().toStatement("registry.example.com/shop-prod/api", other))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("from: is pinned to " + IMAGE + " but the promoted digest is " + other);
    }

    @Test
    void refusesBadStagesApproversAndMissingTimes() {
        assertThatThrownBy(() -> new PromotionPredicate("pro duction", FROM, "r.example.com/x", null, null, null, Instant.EPOCH))
                .hasMessageStartingWith("stage: \"pro duction\" is not a stage name");
        assertThatThrownBy(() -> new PromotionPredicate("", FROM, "r.example.com/x", null, null, null, Instant.EPOCH))
                .hasMessageStartingWith("stage: ");
        assertThatThrownBy(() -> new PromotionPredicate("prod", FROM, "r.example.com/x", null, null, null, null))
                .hasMessageStartingWith("promotedAt: is missing");
        assertThatThrownBy(() -> new PromotionPredicate.Approval(" ", Instant.EPOCH, null))
                .hasMessageStartingWith("approver: is empty");
        assertThatThrownBy(() -> new PromotionPredicate.Approval("alice", null, null))
                .hasMessageStartingWith("approvedAt: is missing");
        assertThatThrownBy(() -> new PromotionPredicate("prod", FROM, "", null, null, null, Instant.EPOCH))
                .hasMessageStartingWith("to: ");
    }
}
