package io.jenkins.plugins.immutabledeployment.provenance;

import static io.jenkins.plugins.immutabledeployment.provenance.ProvenanceBuilderTest.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AttestationsTest {

    private final SigningKey signer = TestKeys.signingKey(TestKeys.ecdsaP256());
    private final Statement provenance = ProvenanceBuilderTest.example().build();

    @Test
    void sealsAStatementAsAnInTotoDsseEnvelope() {
        Envelope envelope = Attestations.seal(provenance, signer);

        assertThat(envelope.payloadType()).isEqualTo("application/vnd.in-toto+json");
        assertThat(envelope.payloadBytes()).isEqualTo(provenance.toJson());
        assertThat(new String(envelope.toJson(), StandardCharsets.UTF_8))
                .startsWith("{\"payload\":\"" + Base64.getEncoder().encodeToString(provenance.toJson())
                        + "\",\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[{\"keyid\":\""
                        + signer.keyid() + "\",\"sig\":\"")
                .endsWith("\"}]}");
    }

    @Test
    void verifiedWhenSignatureAndSubjectBothMatch() {
        AttestationVerification checked =
                Attestations.verify(Attestations.seal(provenance, signer), signer.verificationKey(), IMAGE);

        assertThat(checked.verified()).isTrue();
        assertThat(checked.subjectMatches()).isTrue();
        assertThat(checked.result()).isEqualTo(VerificationResult.verified(signer.keyid()));
        assertThat(checked.statement()).isEqualTo(provenance);
    }

    @Test
    void validSignatureOverAnotherImagesStatementIsNotVerified() {
        Digest other = Digest.sha256("another image".getBytes(StandardCharsets.UTF_8));

        AttestationVerification checked =
                Attestations.verify(Attestations.seal(provenance, signer), signer.verificationKey(), other);

        assertThat(checked.verified()).isFalse();
        assertThat(checked.subjectMatches()).isFalse();
        assertThat(checked.result().signed()).isTrue();
        assertThat(checked.result().reason())
                .isEqualTo("the signature verifies, but the subject " + IMAGE + " is not the image digest " + other);
    }

    @Test
    void unsignedAttestationIsReadButReportedUnsigned() {
        Envelope unsigned = Attestations.seal(provenance, null);

        assertThat(new String(unsigned.toJson(), StandardCharsets.UTF_8)).endsWith(",\"signatures\":[]}");
        AttestationVerification checked = Attestations.verify(unsigned, signer.verificationKey(), IMAGE);
        assertThat(checked.verified()).isFalse();
        assertThat(checked.result()).isEqualTo(VerificationResult.unsigned());
        assertThat(checked.subjectMatches()).isTrue();
        assertThat(checked.statement()).isEqualTo(provenance);
    }

    @Test
    void envelopeJsonRoundTrips() {
        Envelope envelope = Attestations.seal(provenance, TestKeys.signingKey(TestKeys.ed25519()));

        assertThat(Envelope.parse(envelope.toJson())).isEqualTo(envelope);
    }

    @Test
    void refusesWhatIsNotAnInTotoAttestation() {
        Envelope otherType = Dsse.sign("application/json", provenance.toJson(), signer);
        Envelope notAStatement = Attestations.seal(provenance, null);
        Envelope garbage = new Envelope(Base64.getEncoder().encodeToString("{\"_type\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                Envelope.IN_TOTO_PAYLOAD_TYPE, notAStatement.signatures());

        assertThatThrownBy(() -> Attestations.verify(otherType, signer.verificationKey(), IMAGE))
                .isInstanceOf(MalformedAttestationException.class)
                .hasMessageContaining("payloadType is \"application/json\"");
        assertThatThrownBy(() -> Attestations.verify(garbage, null, IMAGE))
                .isInstanceOf(MalformedAttestationException.class)
                .hasMessageStartingWith("not an in-toto Statement v1: _type: is \"x\"");
        assertThatThrownBy(() -> Envelope.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedAttestationException.class)
                .hasMessageStartingWith("not a DSSE envelope: ");
        assertThatThrownBy(() -> Envelope.parse("{\"payload\":\"e30=\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedAttestationException.class)
                .hasMessageStartingWith("not a DSSE envelope: payloadType: is empty");
        assertThatThrownBy(() -> new Envelope("***", "t", null).payloadBytes())
                .isInstanceOf(MalformedAttestationException.class)
                .hasMessage("the envelope's payload is not base64");
        assertThatThrownBy(() -> Statement.parse("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"x\"}"
                        .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedAttestationException.class)
                .hasMessageContaining("subject: is empty");
    }

    @Test
    void readsStatementsWithPredicatesItDoesNotModel() {
        String spdx = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\""
                + IMAGE.hex() + "\",\"sha512\":\"00\"}}],\"predicateType\":\"https://spdx.dev/Document\","
                + "\"predicate\":{\"spdxVersion\":\"SPDX-2.3\"},\"extra\":1}";

        Statement statement = Statement.parse(spdx.getBytes(StandardCharsets.UTF_8));
        assertThat(statement.predicateType()).isEqualTo("https://spdx.dev/Document");
        assertThat(statement.predicate().get("spdxVersion").textValue()).isEqualTo("SPDX-2.3");
        assertThat(statement.hasSubject(IMAGE)).isTrue();
        assertThatThrownBy(() -> statement.predicateAs(SlsaProvenance.class))
                .isInstanceOf(MalformedAttestationException.class)
                .hasMessageStartingWith("not a valid https://spdx.dev/Document predicate: ");
    }
}
