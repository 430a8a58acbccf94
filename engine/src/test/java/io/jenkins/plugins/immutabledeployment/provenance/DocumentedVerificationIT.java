package io.jenkins.plugins.immutabledeployment.provenance;

import static io.jenkins.plugins.immutabledeployment.provenance.ProvenanceBuilderTest.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.immutabledeployment.attestation.ArtifactAttacher;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.testing.DocRecipes;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

    @Test
    void envelopeFetchedFromTheRegistryWithTheDocumentedCommandsVerifies() throws IOException {
        try (RegistryServer registry = RegistryServer.plain()) {
            Commands.Result keys = bash(block("generate-ecdsa"), Map.of());
            assertThat(keys.succeeded()).as(keys.output()).isTrue();
            SigningKey key = SigningKey.fromPemFile(dir.resolve("signing-key.pem"), "signKey");
            RegistryClient client = new RegistryClient(registry.host(), registry.connection());
            ImageRef target = registry.ref("shop/api:1");
            Digest digest = TestImages.push(client, target, Map.of("app", "documented")).digest();
            ImageRef image = target.withTag(null).withDigest(digest);
            ArtifactAttacher attacher = new ArtifactAttacher(client, Clock.systemUTC());
            // a promotion record beside it, which the recipe must not pick
            attacher.attachAttestation(image, Attestations.seal(PromotionPredicate.of("staging",
                    image.toString(), image.name(), Instant.now()).toStatement(image.name(), digest), key));
            attacher.attachAttestation(image, Attestations.seal(
                    Statement.aboutImage(image.name(), digest, ProvenanceBuilderTest.example().predicate()), key));
            // the documented commands assume a TLS registry; this one speaks plain HTTP
            String plainHttpSkopeo = "skopeo() { sub=$1; shift; case $sub in"
                    + " inspect) command skopeo inspect --tls-verify=false \"$@\" ;;"
                    + " copy) command skopeo copy --quiet --src-tls-verify=false \"$@\" ;; esac; }\n";
            String recipe = plainHttpSkopeo + String.join("\n", block("fetch-provenance"), block("rebuild-pae"),
                    block("verify-ecdsa"), block("check-subject"));

            Commands.Result result = bash(recipe,
                    Map.of("IMAGE_REPOSITORY", image.name(), "IMAGE_DIGEST", digest.toString()));

            assertThat(result.succeeded()).as(result.output()).isTrue();
            assertThat(result.output()).contains("Verified OK").contains("true");
            assertThat(Statement.parse(Files.readAllBytes(dir.resolve("payload.json"))).predicateType())
                    .isEqualTo(SlsaProvenance.PREDICATE_TYPE);
        }
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

    private static String block(String name) {
        return DocRecipes.block(DOC, name);
    }

    private Commands.Result bash(String script, Map<String, String> environment) {
        return Commands.run(dir, environment, List.of("bash", "-euo", "pipefail", "-c", script));
    }
}
