package io.jenkins.plugins.immutabledeployment.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SbomTest {

    @TempDir
    Path work;

    @Test
    void cycloneDxIsRecognisedByItsBomFormatWhereverItStands() throws Exception {
        Path file = write("{\"specVersion\":\"1.6\",\"metadata\":{\"bomFormat\":\"nested, ignored\"},"
                + "\"components\":[],\"bomFormat\":\"CycloneDX\"}\n");

        Sbom sbom = Sbom.read(file, "sbom");

        assertThat(sbom.mediaType()).isEqualTo(ArtifactTypes.CYCLONEDX_JSON);
        assertThat(sbom.digest()).isEqualTo(Digest.sha256(Files.readAllBytes(file)));
        assertThat(sbom.size()).isEqualTo(Files.size(file));
    }

    @Test
    void spdx2AndSpdx3AreRecognised() throws Exception {
        assertThat(Sbom.read(write("{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[]}"), "sbom").mediaType())
                .isEqualTo(ArtifactTypes.SPDX_JSON);
        assertThat(Sbom.read(write("{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\"@graph\":[]}"),
                "sbom").mediaType()).isEqualTo(ArtifactTypes.SPDX_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"name\":\"package.json, not an SBOM\"}",
        "{\"bomFormat\":\"SomethingElse\"}",
        "{\"metadata\":{\"bomFormat\":\"CycloneDX\"}}",
        "[{\"bomFormat\":\"CycloneDX\"}]",
        "{\"bomFormat\":\"CycloneDX\",\"components\":[",
        "{\"bomFormat\":\"CycloneDX\"} trailing",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>",
        ""
    })
    void refusesWhatIsNotACompleteCycloneDxOrSpdxJsonDocument(String content) throws Exception {
        Path file = write(content);

        assertThatThrownBy(() -> Sbom.read(file, "sbom"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("sbom: ")
                .hasMessageContaining("CycloneDX JSON");
    }

    @Test
    void refusesAMissingFile() {
        assertThatThrownBy(() -> Sbom.read(work.resolve("missing.json"), "sbom"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a file");
    }

    private Path write(String content) throws Exception {
        return Files.writeString(Files.createTempFile(work, "sbom-", ".json"), content);
    }
}
