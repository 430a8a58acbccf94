package io.jenkins.plugins.immutabledeployment.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DsseTest {

    private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.UTF_8);
    private static final String HELLO_TYPE = "http://example.com/HelloWorld";

    static Stream<KeyPair> keyPairs() {
        return Stream.of(TestKeys.ecdsaP256(), TestKeys.ed25519());
    }

    @Test
    void paeIsTheSpecsTestVector() {
        assertThat(new String(Dsse.pae(HELLO_TYPE, HELLO), StandardCharsets.US_ASCII))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void paeCountsBytesNotCharacters() {
        byte[] body = "grüße".getBytes(StandardCharsets.UTF_8);
        byte[] pae = Dsse.pae("application/x.ä", body);
        assertThat(pae).startsWith("DSSEv1 16 application/x.ä 7 ".getBytes(StandardCharsets.UTF_8)).endsWith(body);
    }

    @Test
    void paeOfEmptyTypeAndBody() {
        assertThat(Dsse.pae("", new byte[0])).isEqualTo("DSSEv1 0  0 ".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void verifiesTheSpecsExampleSignature() throws Exception {
        // protocol.md's test vector: P-256 public key (X, Y), a raw r||s signature over the PAE above.
        var params = PublicKeyDerivation.p256();
        var point = new ECPoint(
                new BigInteger("46950820868899156662930047687818585632848591499744589407958293238635476079160"),
                new BigInteger("5640078356564379163099075877009565129882514886557779369047442380624545832820"));
        var key = new VerificationKey(
                KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, params)),
                KeyAlgorithm.ECDSA_P256_SHA256);
        Envelope envelope = new Envelope("aGVsbG8gd29ybGQ=", HELLO_TYPE, List.of(new Envelope.Signature(null,
                "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==")));

        assertThat(Dsse.verify(envelope, key)).isEqualTo(VerificationResult.verified(key.keyid()));
        Envelope otherBody = new Envelope(Base64.getEncoder().encodeToString("hello worle".getBytes(StandardCharsets.UTF_8)),
                HELLO_TYPE, envelope.signatures());
        assertThat(Dsse.verify(otherBody, key).verified()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("keyPairs")
    void signedEnvelopeVerifiesWithTheMatchingPublicKey(KeyPair pair) {
        SigningKey signer = TestKeys.signingKey(pair);
        Envelope envelope = Dsse.sign(HELLO_TYPE, HELLO, signer);

        assertThat(envelope.signatures()).singleElement().extracting(Envelope.Signature::keyid).isEqualTo(signer.keyid());
        assertThat(envelope.payloadBytes()).isEqualTo(HELLO);
        VerificationResult result = Dsse.verify(envelope, TestKeys.verificationKey(pair));
        assertThat(result.signed()).isTrue();
        assertThat(result.verified()).isTrue();
        assertThat(result.keyid()).isEqualTo(signer.keyid());
    }

    @ParameterizedTest
    @MethodSource("keyPairs")
    void tamperedPayloadFails(KeyPair pair) {
        Envelope signed = Dsse.sign(HELLO_TYPE, HELLO, TestKeys.signingKey(pair));
        Envelope tampered = new Envelope(Base64.getEncoder().encodeToString("hello World".getBytes(StandardCharsets.UTF_8)),
                signed.payloadType(), signed.signatures());

        VerificationResult result = Dsse.verify(tampered, TestKeys.verificationKey(pair));
        assertThat(result.signed()).isTrue();
        assertThat(result.verified()).isFalse();
        assertThat(result.reason()).contains("no signature verifies");
    }

    @ParameterizedTest
    @MethodSource("keyPairs")
    void tamperedPayloadTypeFails(KeyPair pair) {
        Envelope signed = Dsse.sign(HELLO_TYPE, HELLO, TestKeys.signingKey(pair));
        Envelope retyped = new Envelope(signed.payload(), "http://example.com/Other", signed.signatures());

        assertThat(Dsse.verify(retyped, TestKeys.verificationKey(pair)).verified()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("keyPairs")
    void tamperedSignatureFails(KeyPair pair) {
        Envelope signed = Dsse.sign(HELLO_TYPE, HELLO, TestKeys.signingKey(pair));
        byte[] sig = signed.signatures().get(0).sigBytes();
        sig[sig.length - 1] ^= 0x01;
        Envelope tampered = new Envelope(signed.payload(), signed.payloadType(),
                List.of(Envelope.Signature.of(signed.signatures().get(0).keyid(), sig)));

        VerificationResult result = Dsse.verify(tampered, TestKeys.verificationKey(pair));
        assertThat(result.verified()).isFalse();
        assertThat(result.signed()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("keyPairs")
    void garbageSignatureFailsWithoutThrowing(KeyPair pair) {
        Envelope garbage = new Envelope(Base64.getEncoder().encodeToString(HELLO), HELLO_TYPE,
                List.of(Envelope.Signature.of("k", new byte[] {1, 2, 3})));

        assertThat(Dsse.verify(garbage, TestKeys.verificationKey(pair)).verified()).isFalse();
    }

    @Test
    void wrongKeyFailsAndNamesBothKeyids() {
        SigningKey signer = TestKeys.signingKey(TestKeys.ecdsaP256());
        VerificationKey other = TestKeys.verificationKey(TestKeys.ecdsaP256());

        VerificationResult result = Dsse.verify(Dsse.sign(HELLO_TYPE, HELLO, signer), other);
        assertThat(result.verified()).isFalse();
        assertThat(result.keyid()).isEqualTo(other.keyid());
        assertThat(result.reason()).contains(other.keyid()).contains(signer.keyid());
    }

    @Test
    void keyOfTheOtherAlgorithmFails() {
        KeyPair ed = TestKeys.ed25519();
        Envelope signed = Dsse.sign(HELLO_TYPE, HELLO, TestKeys.signingKey(TestKeys.ecdsaP256()));

        assertThat(Dsse.verify(signed, TestKeys.verificationKey(ed)).verified()).isFalse();
    }

    @Test
    void unsignedEnvelopeIsReportedUnsignedNeverVerified() {
        Envelope unsigned = Envelope.unsigned(HELLO_TYPE, HELLO);

        VerificationResult withKey = Dsse.verify(unsigned, TestKeys.verificationKey(TestKeys.ed25519()));
        assertThat(withKey).isEqualTo(VerificationResult.unsigned());
        assertThat(withKey.signed()).isFalse();
        assertThat(withKey.verified()).isFalse();
        assertThat(Dsse.verify(unsigned, null)).isEqualTo(VerificationResult.unsigned());
    }

    @Test
    void signedEnvelopeWithoutKeyIsSignedButNotVerified() {
        SigningKey signer = TestKeys.signingKey(TestKeys.ed25519());

        VerificationResult result = Dsse.verify(Dsse.sign(HELLO_TYPE, HELLO, signer), null);
        assertThat(result.signed()).isTrue();
        assertThat(result.verified()).isFalse();
        assertThat(result.keyid()).isEqualTo(signer.keyid());
        assertThat(result.reason()).contains("no public key");
    }

    @Test
    void anyOneOfSeveralSignaturesIsEnough() {
        KeyPair second = TestKeys.ed25519();
        Envelope twice = Dsse.addSignature(
                Dsse.sign(HELLO_TYPE, HELLO, TestKeys.signingKey(TestKeys.ecdsaP256())), TestKeys.signingKey(second));

        assertThat(twice.signatures()).hasSize(2);
        assertThat(Dsse.verify(twice, TestKeys.verificationKey(second)).verified()).isTrue();
    }

    @Test
    void keyidIsOnlyAHintNotTrusted() {
        KeyPair pair = TestKeys.ecdsaP256();
        Envelope signed = Dsse.sign(HELLO_TYPE, HELLO, TestKeys.signingKey(pair));
        Envelope relabelled = new Envelope(signed.payload(), signed.payloadType(),
                List.of(new Envelope.Signature("someone-else", signed.signatures().get(0).sig())));

        assertThat(Dsse.verify(relabelled, TestKeys.verificationKey(pair)).verified()).isTrue();
    }

    @Test
    void readsUrlSafeBase64() {
        KeyPair pair = TestKeys.ed25519();
        byte[] body = new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xfe, 0x3e};
        Envelope signed = Dsse.sign(HELLO_TYPE, body, TestKeys.signingKey(pair));
        Envelope urlSafe = new Envelope(Base64.getUrlEncoder().withoutPadding().encodeToString(body),
                signed.payloadType(), List.of(new Envelope.Signature(null,
                        Base64.getUrlEncoder().encodeToString(signed.signatures().get(0).sigBytes()))));

        assertThat(urlSafe.payload()).containsAnyOf("-", "_");
        assertThat(urlSafe.payloadBytes()).isEqualTo(body);
        assertThat(Dsse.verify(urlSafe, TestKeys.verificationKey(pair)).verified()).isTrue();
    }
}
