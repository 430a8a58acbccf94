package io.jenkins.plugins.immutabledeployment.provenance;

import static io.jenkins.plugins.immutabledeployment.provenance.ProvenanceBuilderTest.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shell recipes of docs/provenance.md exactly as written (keys made with its commands, then the
 * envelope taken apart and checked with jq, base64 and openssl), so the documentation cannot drift from
 * what the code signs.
 */
class DocumentedVerificationIT {

    private static final Path DOC = Path.of("..", "docs", "provenance.md");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsJq() {
        assumeTrue(Commands.available("jq"), "jq is not installed; the documented recipe uses it");
    }

    @Test
    void ecdsaRecipeVerifiesOurEnvelopeAndRejectsTamperingAndAnotherDigest() throws IOException {
        checkRecipe("generate-ecdsa", "verify-ecdsa", "Verified OK");
    }

    @Test
    void ed25519RecipeVerifiesOurEnvelopeAndRejectsTamperingAndAnotherDigest() throws IOException {
        checkRecipe("generate-ed25519", "verify-ed25519", "Signature Verified Successfully");
    }

    @Test
    void documentedPaeExampleIsWhatWeSign() throws IOException {
        String pae = new String(Dsse.pae(Envelope.IN_TOTO_PAYLOAD_TYPE, ProvenanceBuilderTest.example().build().toJson()),
                StandardCharsets.UTF_8);

        assertThat(Files.readString(DOC)).contains("`" + pae.substring(0, pae.indexOf(',')) + ",…`");
    }

    private void checkRecipe(String generate, String verify, String verifiedLine) throws IOException {
        Commands.Result keys = bash(block(generate), Map.of());
        assertThat(keys.succeeded()).as(keys.output()).isTrue();
        SigningKey key = SigningKey.fromPemFile(dir.resolve("signing-key.pem"), "signKey");
        Envelope envelope = Attestations.seal(ProvenanceBuilderTest.example().build(), key);
        String recipe = String.join("\n", block("rebuild-pae"), block(verify), block("check-subject"), block("keyid"));

        Files.write(dir.resolve("envelope.json"), envelope.toJson());
        Commands.Result genuine = bash(recipe, Map.of("IMAGE_DIGEST", IMAGE.toString()));
        assertThat(genuine.succeeded()).as(genuine.output()).isTrue();
        assertThat(genuine.output()).contains(verifiedLine).contains("true");
        assertThat(genuine.output().lines().filter(line -> line.matches("(sha256:)?" + key.keyid().substring(7))))
                .as("keyid lines in:\n" + genuine.output()).hasSize(2);

        Commands.Result otherDigest = bash(recipe, Map.of("IMAGE_DIGEST", Digest.sha256(new byte[] {7}).toString()));
        assertThat(otherDigest.exitCode()).as(otherDigest.output()).isNotZero();
        assertThat(otherDigest.output()).contains(verifiedLine).contains("false");

        byte[] payload = envelope.payloadBytes();
        payload[payload.length - 5] ^= 1;
        Files.write(dir.resolve("envelope.json"), new Envelope(
                Base64.getEncoder().encodeToString(payload), envelope.payloadType(), envelope.signatures()).toJson());
        Commands.Result tampered = bash(recipe, Map.of("IMAGE_DIGEST", IMAGE.toString()));
        assertThat(tampered.exitCode()).as(tampered.output()).isNotZero();
        assertThat(tampered.output()).doesNotContain(verifiedLine);
    }

    /** The fenced sh block right after {@code <!-- test: NAME -->} in the doc. */
    private static String block(String name) throws IOException {
        Matcher block = Pattern.compile("<!-- test: " + Pattern.quote(name) + " -->\\s*```sh\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        assertThat(block.find()).as("block " + name + " in " + DOC).isTrue();
        return block.group(1);
    }

    private Commands.Result bash(String script, Map<String, String> environment) {
        return Commands.run(dir, environment, List.of("bash", "-euo", "pipefail", "-c", script));
    }
}
