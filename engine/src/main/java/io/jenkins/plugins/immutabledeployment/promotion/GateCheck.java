package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.attestation.CheckedAttestation;
import io.jenkins.plugins.immutabledeployment.attestation.ImageAttestations;
import io.jenkins.plugins.immutabledeployment.provenance.MalformedAttestationException;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.provenance.SlsaProvenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Decides the gates of a promotion from the source image's checked attestations; reads and writes nothing. */
final class GateCheck {

    static final String REQUIRE_PROVENANCE = "requireProvenance";
    static final String REQUIRE_PROMOTED_TO = "requirePromotedTo";

    private GateCheck() {}

    /** The gates that passed; the first that fails throws {@link GateFailedException}. */
    static List<GateResult> check(PromotionGates gates, ImageAttestations found) {
        List<GateResult> passed = new ArrayList<>();
        String image = found.repository() + "@" + found.digest();
        boolean keyGiven = gates.publicKey() != null;
        if (gates.requireProvenance()) {
            List<CheckedAttestation> provenance = found.ofType(SlsaProvenance.PREDICATE_TYPE);
            passed.add(pass(REQUIRE_PROVENANCE, image, provenance, keyGiven, "SLSA provenance attestation", "", found));
        }
        if (gates.requirePromotedTo() != null) {
            String stage = gates.requirePromotedTo();
            List<CheckedAttestation> promotions = found.ofType(PromotionPredicate.PREDICATE_TYPE).stream()
                    .filter(toStage(stage))
                    .toList();
            passed.add(pass(REQUIRE_PROMOTED_TO, image, promotions, keyGiven,
                    "promotion attestation to stage \"" + stage + "\"", otherStages(found), found));
        }
        return passed;
    }

    private static GateResult pass(
            String gate, String image, List<CheckedAttestation> candidates, boolean keyGiven, String what,
            String instead, ImageAttestations found) {
        if (candidates.isEmpty()) {
            throw new GateFailedException(gate, image, "no " + what + " is attached" + instead + unreadable(found));
        }
        for (CheckedAttestation candidate : candidates) {
            if (keyGiven ? candidate.verified() : candidate.subjectMatches()) {
                return new GateResult(gate, candidate.referrer().digest(), candidate.verified());
            }
        }
        String reasons = candidates.stream()
                .map(c -> c.referrer().digest().shortHex() + ": " + (c.subjectMatches() || keyGiven
                        ? c.result().reason() : "its subject is not this digest"))
                .collect(Collectors.joining("; "));
        throw new GateFailedException(gate, image, candidates.size() + " " + what + "(s) attached, none "
                + (keyGiven ? "verifies with the public key" : "is about this digest") + " (" + reasons + ")");
    }

    private static Predicate<CheckedAttestation> toStage(String stage) {
        return attestation -> stage.equals(stageOf(attestation));
    }

    /** The stages the image was promoted to instead, e.g. {@code  (promotions attached: to stage "staging.api")}. */
    private static String otherStages(ImageAttestations found) {
        List<String> stages = found.ofType(PromotionPredicate.PREDICATE_TYPE).stream()
                .map(GateCheck::stageOf)
                .filter(Objects::nonNull)
                .distinct()
                .map(stage -> "\"" + stage + "\"")
                .toList();
        return stages.isEmpty() ? "" : " (promotions attached: to stage " + String.join(", ", stages) + ")";
    }

    private static String stageOf(CheckedAttestation attestation) {
        try {
            return attestation.statement().predicateAs(PromotionPredicate.class).stage();
        } catch (MalformedAttestationException e) {
            return null;
        }
    }

    private static String unreadable(ImageAttestations found) {
        int count = found.unreadable().size();
        return count == 0 ? "" : " (" + count + " attached attestation(s) could not be read: "
                + found.unreadable().get(0).problem() + ")";
    }
}
