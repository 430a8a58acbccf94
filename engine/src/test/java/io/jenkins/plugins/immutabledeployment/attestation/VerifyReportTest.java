package io.jenkins.plugins.immutabledeployment.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.MediaTypes;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.provenance.Statement;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON shape of the {@code verify} report, which scripts read. */
class VerifyReportTest {

    private static final Digest IMAGE = Digest.parse("sha256:" + "5f".repeat(32));
    private static final String REPOSITORY = "registry.example.com/shop/api";

    @Test
    void provenanceAndPromotionsAreFlatEntriesWithTheirVerdicts() throws Exception {
        Statement provenance = ProvenanceInputs.of("https://ci.example.com/job/shop/", "https://ci.example.com/job/shop/42/",
                "shop").statement(REPOSITORY, IMAGE, Instant.parse("2025-03-01T10:04:31Z"));
        Statement later = promotion("production", "2025-03-03T09:00:00Z");
        Statement earlier = promotion("staging", "2025-03-02T08:16:12Z");
        ImageAttestations found = new ImageAttestations(REPOSITORY, IMAGE, List.of(
                checked(provenance, 1, VerificationResult.verified("sha256:key"), null),
                checked(later, 2, VerificationResult.unsigned(), null),
                checked(earlier, 3, VerificationResult.failed("sha256:other", "no signature verifies"), null),
                checked(null, 4, VerificationResult.unsigned(), "blob … does not match its digest (tampered with or corrupted)")),
                List.of(referrer(5, ArtifactTypes.SPDX_JSON)), List.of(), ReferrerMechanism.TAG_SCHEMA);

        JsonNode json = Json.mapper().valueToTree(VerifyReport.of(found, null));

        assertThat(json.path("image").asText()).isEqualTo(REPOSITORY + "@" + IMAGE);
        assertThat(json.path("referrers").asText()).isEqualTo("tag-schema");
        assertThat(json.path("provenanceVerified").asBoolean()).isTrue();
        assertThat(json.has("publicKey")).isFalse();
        JsonNode entry = json.path("provenance").get(0);
        assertThat(entry.path("attestation").asText()).isEqualTo(digest(1).toString());
        assertThat(entry.path("signed").asBoolean()).isTrue();
        assertThat(entry.path("verified").asBoolean()).isTrue();
        assertThat(entry.path("keyid").asText()).isEqualTo("sha256:key");
        assertThat(entry.path("builderId").asText()).isEqualTo("https://ci.example.com/job/shop/");
        assertThat(entry.path("finishedOn").asText()).isEqualTo("2025-03-01T10:04:31Z");
        assertThat(entry.path("statement").path("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
        // promotion history, oldest first, the predicate's fields beside the verdict
        JsonNode promotions = json.path("promotions");
        assertThat(promotions).hasSize(2);
        assertThat(promotions.get(0).path("stage").asText()).isEqualTo("staging");
        assertThat(promotions.get(0).path("signed").asBoolean()).isTrue();
        assertThat(promotions.get(0).path("verified").asBoolean()).isFalse();
        assertThat(promotions.get(0).path("reason").asText()).isEqualTo("no signature verifies");
        assertThat(promotions.get(1).path("stage").asText()).isEqualTo("production");
        assertThat(promotions.get(1).path("signed").asBoolean()).isFalse();
        assertThat(promotions.get(1).path("from").asText()).isEqualTo(REPOSITORY + "@" + IMAGE);
        assertThat(promotions.get(1).path("approval").path("approver").asText()).isEqualTo("alice");
        assertThat(promotions.get(1).has("predicateType")).isFalse();
        assertThat(json.path("unreadable").get(0).path("reason").asText()).contains("tampered");
        assertThat(json.path("sboms").get(0).path("artifactType").asText()).isEqualTo(ArtifactTypes.SPDX_JSON);
    }

    @Test
    void aSignatureOverAnotherDigestIsNotVerified() {
        Statement aboutOther = ProvenanceInputs.of("https://ci.example.com/", "https://ci.example.com/1/", "x")
                .statement(REPOSITORY, Digest.parse("sha256:" + "11".repeat(32)), null);
        CheckedAttestation checked = new CheckedAttestation(referrer(1, ArtifactTypes.DSSE_ENVELOPE),
                aboutOther.predicateType(), aboutOther, VerificationResult.verified("sha256:key"), false, null);

        VerifyReport report = VerifyReport.of(new ImageAttestations(REPOSITORY, IMAGE, List.of(checked), List.of(),
                List.of(), ReferrerMechanism.REFERRERS_API), null);

        assertThat(report.provenanceVerified()).isFalse();
        assertThat(report.provenance().get(0).check().verified()).isFalse();
    }

    private static Statement promotion(String stage, String at) {
        return PromotionPredicate.of(stage, REPOSITORY + "@" + IMAGE, "registry.example.com/" + stage + "/api",
                        Instant.parse(at))
                .withApproval(new PromotionPredicate.Approval("alice", Instant.parse(at), null))
                .toStatement(REPOSITORY, IMAGE);
    }

    private static CheckedAttestation checked(Statement statement, int n, VerificationResult result, String problem) {
        Descriptor referrer = referrer(n, ArtifactTypes.DSSE_ENVELOPE);
        return problem != null ? CheckedAttestation.unreadable(referrer, problem)
                : new CheckedAttestation(referrer, statement.predicateType(), statement, result, true, null);
    }

    private static Descriptor referrer(int n, String artifactType) {
        return new Descriptor(MediaTypes.OCI_MANIFEST, digest(n), 800, artifactType, Map.of(), null);
    }

    private static Digest digest(int n) {
        return Digest.parse("sha256:" + String.format("%064x", n));
    }
}
