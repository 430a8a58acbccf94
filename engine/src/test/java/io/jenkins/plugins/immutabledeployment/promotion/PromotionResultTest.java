package io.jenkins.plugins.immutabledeployment.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.attestation.ReferrerMechanism;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which provenance a promotion verified is what the build page may then call verified. */
class PromotionResultTest {

    private static final Digest IMAGE = Digest.parse("sha256:" + "9f".repeat(32), "digest");
    private static final Digest PROVENANCE = Digest.parse("sha256:" + "a1".repeat(32), "attestation");
    private static final Digest PROMOTION = Digest.parse("sha256:" + "b2".repeat(32), "attestation");

    private static PromotionResult withGates(GateResult... gates) {
        return new PromotionResult("r/prod/api@" + IMAGE, IMAGE, "r/prod/api", null, "prod", "r/api@" + IMAGE, null, null,
                null, false, null, List.of(gates), 0, ReferrerMechanism.REFERRERS_API);
    }

    @Test
    void theProvenanceWhoseSignatureTheGateVerified() {
        assertThat(withGates(new GateResult(GateCheck.REQUIRE_PROMOTED_TO, PROMOTION, true),
                new GateResult(GateCheck.REQUIRE_PROVENANCE, PROVENANCE, true)).verifiedProvenance()).isEqualTo(PROVENANCE);
    }

    @Test
    void noneWhenNoKeyVerifiedItOrNoProvenanceWasRequired() {
        assertThat(withGates(new GateResult(GateCheck.REQUIRE_PROVENANCE, PROVENANCE, false)).verifiedProvenance()).isNull();
        assertThat(withGates(new GateResult(GateCheck.REQUIRE_PROMOTED_TO, PROMOTION, true)).verifiedProvenance()).isNull();
        assertThat(withGates().verifiedProvenance()).isNull();
    }
}
