package io.jenkins.plugins.immutabledeployment.attestation;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.provenance.MalformedAttestationException;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.provenance.SlsaProvenance;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code immutable-deploy verify} prints: the provenance and the promotion history attached to an image
 * digest, each attestation with {@code signed} and {@code verified} (a signature verified with the given public
 * key and the statement is about this digest; never true without a key), plus SBOMs, other attestations and
 * those that could not be read.
 *
 * @param publicKey the keyid of the public key checked with, or {@code null} when none was given
 * @param referrers how the registry lists the image's referrers
 * @param provenanceVerified whether at least one provenance attestation is verified
 */
public record VerifyReport(
        String image,
        Digest digest,
        String repository,
        String publicKey,
        ReferrerMechanism referrers,
        boolean provenanceVerified,
        List<ProvenanceEntry> provenance,
        List<PromotionEntry> promotions,
        List<SbomEntry> sboms,
        List<AttestationEntry> otherAttestations,
        List<UnreadableEntry> unreadable) {

    /** The signature verdict of one attestation. */
    public record Check(
            Digest attestation, boolean signed, boolean verified, String keyid, String reason, boolean subjectMatches) {

        static Check of(CheckedAttestation checked) {
            return new Check(checked.referrer().digest(), checked.result().signed(), checked.verified(),
                    checked.result().keyid(), checked.result().reason(), checked.subjectMatches());
        }
    }

    /** A SLSA provenance attestation: the main facts, and the whole statement. */
    public record ProvenanceEntry(
            @JsonUnwrapped Check check, String builderId, String buildUrl, String startedOn, String finishedOn,
            JsonNode statement) {}

    /** A promotion record: where the digest went, when, approved by whom. */
    public record PromotionEntry(@JsonUnwrapped Check check, @JsonUnwrapped PromotionPredicate promotion) {}

    /** An SBOM attached to the image (its content is not fetched). */
    public record SbomEntry(Digest artifact, String artifactType, String created) {}

    /** An attestation of another predicate type. */
    public record AttestationEntry(@JsonUnwrapped Check check, String predicateType) {}

    /** An attestation that could not be read: missing, tampered bytes, not an in-toto envelope. */
    public record UnreadableEntry(Digest attestation, String predicateType, String reason) {}

    static VerifyReport of(ImageAttestations found, VerificationKey key) {
        List<ProvenanceEntry> provenance = new ArrayList<>();
        List<PromotionEntry> promotions = new ArrayList<>();
        List<AttestationEntry> others = new ArrayList<>();
        List<UnreadableEntry> unreadable = new ArrayList<>();
        for (CheckedAttestation checked : found.attestations()) {
            if (!checked.readable()) {
                unreadable.add(new UnreadableEntry(checked.referrer().digest(), checked.predicateType(), checked.problem()));
            } else if (checked.isOfType(SlsaProvenance.PREDICATE_TYPE)) {
                provenance.add(provenance(checked));
            } else if (checked.isOfType(PromotionPredicate.PREDICATE_TYPE)) {
                try {
                    promotions.add(new PromotionEntry(Check.of(checked),
                            checked.statement().predicateAs(PromotionPredicate.class)));
                } catch (MalformedAttestationException e) {
                    unreadable.add(new UnreadableEntry(checked.referrer().digest(), checked.predicateType(), e.getMessage()));
                }
            } else {
                others.add(new AttestationEntry(Check.of(checked), checked.predicateType()));
            }
        }
        provenance.sort(Comparator.comparing(p -> p.finishedOn() == null ? "" : p.finishedOn()));
        promotions.sort(Comparator.comparing(p -> p.promotion().promotedAt()));
        List<SbomEntry> sboms = found.sboms().stream().map(VerifyReport::sbom).toList();
        return new VerifyReport(found.repository() + "@" + found.digest(), found.digest(), found.repository(),
                key == null ? null : key.keyid(), found.mechanism(),
                provenance.stream().anyMatch(p -> p.check().verified()),
                provenance, promotions, sboms, others, unreadable);
    }

    private static ProvenanceEntry provenance(CheckedAttestation checked) {
        JsonNode statement = Json.mapper().valueToTree(checked.statement());
        JsonNode run = statement.path("predicate").path("runDetails");
        return new ProvenanceEntry(Check.of(checked), text(run.path("builder").path("id")),
                text(run.path("metadata").path("invocationId")), text(run.path("metadata").path("startedOn")),
                text(run.path("metadata").path("finishedOn")), statement);
    }

    private static SbomEntry sbom(Descriptor descriptor) {
        return new SbomEntry(descriptor.digest(), descriptor.artifactType(),
                descriptor.annotations().get(ArtifactTypes.CREATED_ANNOTATION));
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
