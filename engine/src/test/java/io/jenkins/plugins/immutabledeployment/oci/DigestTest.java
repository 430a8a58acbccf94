package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.Json;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Digests are values: equal when their text is, whichever way they were made (equals and hashCode are written out). */
class DigestTest {

    private static final Digest A = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
    private static final Digest B = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));

    @Test
    void equalWhenTheirTextIs() {
        Digest parsed = Digest.parse(A.toString(), "digest");

        assertThat(parsed).isEqualTo(A).hasSameHashCodeAs(A).isNotEqualTo(B);
        assertThat(Set.of(A, B)).contains(parsed).hasSize(2);
    }

    @Test
    void inJsonADigestIsItsText() throws Exception {
        String json = Json.mapper().writeValueAsString(A);

        assertThat(json).isEqualTo("\"" + A + "\"");
        assertThat(Json.mapper().readValue(json, Digest.class)).isEqualTo(A);
    }

    @Test
    void theAlgorithmIsPartOfTheValue() {
        String hex = A.hex() + A.hex();
        Digest sha512 = new Digest("sha512", hex);

        assertThat(sha512).isNotEqualTo(A).isEqualTo(new Digest("sha512", hex)).isNotEqualTo(hex).isNotEqualTo(null);
    }
}
