package io.jenkins.plugins.immutabledeployment.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SigningKeyTest {

    static Stream<KeyPair> keyPairs() {
        return Stream.of(TestKeys.ecdsaP256(), TestKeys.ed25519());
    }

    @ParameterizedTest
    @MethodSource("keyPairs")
    void derivesThePublicKeyAndKeyidFromThePrivateKeyAlone(KeyPair pair) {
        SigningKey signer = TestKeys.signingKey(pair);
        VerificationKey published = TestKeys.verificationKey(pair);

        assertThat(signer.verificationKey()).isEqualTo(published);
        assertThat(signer.keyid())
                .isEqualTo(published.keyid())
                .isEqualTo(Digest.sha256(pair.getPublic().getEncoded()).toString())
                .matches("sha256:[0-9a-f]{64}");
        assertThat(signer.verificationKey().toPem()).isEqualTo(TestKeys.publicPem(pair));
    }

    @Test
    void namesTheAlgorithms() {
        assertThat(TestKeys.signingKey(TestKeys.ecdsaP256()).algorithm()).isEqualTo(KeyAlgorithm.ECDSA_P256_SHA256);
        assertThat(TestKeys.signingKey(TestKeys.ed25519()).algorithm()).isEqualTo(KeyAlgorithm.ED25519);
        assertThat(TestKeys.verificationKey(TestKeys.ed25519()).algorithm()).isEqualTo(KeyAlgorithm.ED25519);
    }

    @Test
    void ecdsaSignaturesAreDerEncoded() {
        byte[] sig = TestKeys.signingKey(TestKeys.ecdsaP256()).sign("m".getBytes(StandardCharsets.US_ASCII));
        // SEQUENCE { INTEGER r, INTEGER s }, 8 to 72 bytes
        assertThat(sig[0]).isEqualTo((byte) 0x30);
        assertThat(sig[1] & 0xff).isEqualTo(sig.length - 2);
        assertThat(sig[2]).isEqualTo((byte) 0x02);
    }

    @Test
    void readsKeysFromFilesWithSurroundingText(@TempDir Path dir) throws Exception {
        KeyPair pair = TestKeys.ed25519();
        Path priv = Files.writeString(dir.resolve("key.pem"), "comment line\n" + TestKeys.privatePem(pair) + "\n\n");
        Path pub = Files.writeString(dir.resolve("pub.pem"), TestKeys.publicPem(pair));

        assertThat(SigningKey.fromPemFile(priv, "--sign-key").keyid())
                .isEqualTo(VerificationKey.fromPemFile(pub, "--public-key").keyid());
    }

    @Test
    void refusesAMissingFileNamingTheField(@TempDir Path dir) {
        assertThatThrownBy(() -> SigningKey.fromPemFile(dir.resolve("absent.pem"), "--sign-key"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--sign-key: cannot read");
    }

    static Stream<KeyPair> unacceptedKeyPairs() {
        return Stream.of(
                TestKeys.generate("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4)),
                TestKeys.generate("EC", new ECGenParameterSpec("secp384r1")),
                TestKeys.generate("Ed448", NamedParameterSpec.ED448),
                TestKeys.generate("XDH", NamedParameterSpec.X25519));
    }

    @ParameterizedTest
    @MethodSource("unacceptedKeyPairs")
    void refusesOtherKeyTypesNamingFieldAndAcceptedForm(KeyPair pair) {
        String privatePem = TestKeys.privatePem(pair);
        assertRefusedWithoutLeaking(() -> SigningKey.fromPem(privatePem), "signKey", privatePem)
                .hasMessageContaining("which is not accepted")
                .hasMessageContaining("ECDSA P-256 or Ed25519")
                .hasMessageContaining("BEGIN PRIVATE KEY");
        assertThatThrownBy(() -> VerificationKey.fromPem(TestKeys.publicPem(pair)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("publicKey: holds ")
                .hasMessageContaining("BEGIN PUBLIC KEY");
    }

    @Test
    void refusesSec1AndEncryptedAndPublicPemsAsSigningKeys() {
        KeyPair pair = TestKeys.ecdsaP256();
        String body = Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded());
        String sec1 = "-----BEGIN EC PRIVATE KEY-----\n" + body + "\n-----END EC PRIVATE KEY-----\n";
        String encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "\n-----END ENCRYPTED PRIVATE KEY-----\n";
        String procType = "-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
                + body + "\n-----END PRIVATE KEY-----\n";

        assertRefusedWithoutLeaking(() -> SigningKey.fromPem(sec1, "--sign-key"), "--sign-key", sec1)
                .hasMessageContaining("holds EC PRIVATE KEY instead of a PRIVATE KEY block");
        assertRefusedWithoutLeaking(() -> SigningKey.fromPem(encrypted), "signKey", encrypted)
                .hasMessageContaining("ENCRYPTED PRIVATE KEY");
        assertRefusedWithoutLeaking(() -> SigningKey.fromPem(procType), "signKey", procType)
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> SigningKey.fromPem(TestKeys.publicPem(pair)))
                .hasMessageContaining("holds PUBLIC KEY instead of a PRIVATE KEY block");
    }

    @Test
    void refusesAPrivateKeyWhereAPublicKeyIsExpectedWithoutQuotingIt() {
        String privatePem = TestKeys.privatePem(TestKeys.ed25519());
        assertRefusedWithoutLeaking(() -> VerificationKey.fromPem(privatePem), "publicKey", privatePem)
                .hasMessageContaining("holds PRIVATE KEY instead of a PUBLIC KEY block");
    }

    @Test
    void refusesGarbageEmptyAndTruncatedKeysWithoutQuotingThem() {
        String pem = TestKeys.privatePem(TestKeys.ecdsaP256());
        String truncated = pem.substring(0, 60) + "\n-----END PRIVATE KEY-----\n";

        assertRefusedWithoutLeaking(() -> SigningKey.fromPem(truncated), "signKey", truncated)
                .hasMessageContaining("is not a PKCS#8 private key");
        assertRefusedWithoutLeaking(() -> SigningKey.fromPem("not a key at all"), "signKey", "not a key at all")
                .hasMessageContaining("is not PEM");
        assertThatThrownBy(() -> SigningKey.fromPem("  ")).hasMessageStartingWith("signKey: is empty");
        assertThatThrownBy(() -> SigningKey.fromPem(null)).hasMessageStartingWith("signKey: is empty");
    }

    @ParameterizedTest
    @MethodSource("keyPairs")
    void privateKeyMaterialAppearsNowhere(KeyPair pair) {
        String pem = TestKeys.privatePem(pair);
        SigningKey key = SigningKey.fromPem(pem);
        Envelope envelope = Dsse.sign("application/vnd.in-toto+json", new byte[] {1}, key);
        List<String> seen = new ArrayList<>(List.of(
                key.toString(), key.verificationKey().toString(), key.verificationKey().toPem(),
                new String(envelope.toJson(), StandardCharsets.UTF_8),
                String.valueOf(Dsse.verify(envelope, key.verificationKey()))));

        String publicBody = body(TestKeys.publicPem(pair));
        String secretHex = HexFormat.of().formatHex(secretBytes(pair));
        for (String text : seen) {
            assertNoKeyMaterial(text, pem, publicBody);
            assertThat(text.toLowerCase(Locale.ROOT)).doesNotContain(secretHex);
            assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(secretBytes(pair)).substring(0, 40));
        }
        assertThat(key.toString()).isEqualTo("SigningKey[" + key.algorithm() + " " + key.keyid() + "]");
    }

    /** Asserts the refusal names the field, and that no 12-character run of the PEM body occurs in the message. */
    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefusedWithoutLeaking(
            ThrowingCallable call, String field, String secret) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(InvalidInputException.class);
        assertThat(((InvalidInputException) thrown).field()).isEqualTo(field);
        assertThat(thrown.getMessage()).startsWith(field + ": ");
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertNoKeyMaterial(String.valueOf(t.getMessage()), secret, "");
        }
        return assertThat(thrown);
    }

    /** No 12-character run of the secret PEM's body, except runs the public key shares with it. */
    private static void assertNoKeyMaterial(String text, String secretPem, String publicBody) {
        String body = body(secretPem);
        for (int i = 0; i + 12 <= body.length(); i++) {
            String run = body.substring(i, i + 12);
            if (!publicBody.contains(run)) {
                assertThat(text).doesNotContain(run);
            }
        }
    }

    private static String body(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    /** The private scalar (P-256) or seed (Ed25519). */
    private static byte[] secretBytes(KeyPair pair) {
        if (pair.getPrivate() instanceof ECPrivateKey ec) {
            byte[] s = ec.getS().toByteArray();
            byte[] fixed = new byte[32];
            int length = Math.min(32, s.length);
            System.arraycopy(s, s.length - length, fixed, 32 - length, length);
            return fixed;
        }
        return ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
    }
}
