package io.jenkins.plugins.immutabledeployment.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Any change to any bit of the signed payload breaks the signature, for both algorithms. */
class DsseTamperTest {

    private static final SigningKey ECDSA = TestKeys.signingKey(TestKeys.ecdsaP256());
    private static final SigningKey ED25519 = TestKeys.signingKey(TestKeys.ed25519());

    /** 100 random payloads per algorithm, each with one flipped bit; a fixed seed keeps failures reproducible. */
    static Stream<Arguments> flips() {
        SplittableRandom random = new SplittableRandom(20260301L);
        return IntStream.range(0, 200).mapToObj(i -> {
            byte[] payload = new byte[1 + random.nextInt(300)];
            random.nextBytes(payload);
            return Arguments.of(i % 2 == 0 ? "ECDSA" : "Ed25519", payload, random.nextInt(payload.length * 8));
        });
    }

    @ParameterizedTest(name = "{0} flip bit {2}")
    @MethodSource("flips")
    void flippingAnyPayloadBitBreaksTheSignature(String algorithm, byte[] payload, int bit) {
        SigningKey key = algorithm.equals("ECDSA") ? ECDSA : ED25519;
        Envelope signed = Dsse.sign("application/vnd.in-toto+json", payload, key);
        assertThat(Dsse.verify(signed, key.verificationKey()).verified()).isTrue();

        byte[] tampered = payload.clone();
        tampered[bit / 8] ^= (byte) (1 << (bit % 8));
        Envelope forged = new Envelope(
                Base64.getEncoder().encodeToString(tampered), signed.payloadType(), signed.signatures());
        assertThat(Dsse.verify(forged, key.verificationKey()).verified()).isFalse();
    }
}
