package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelJsonGoldenTest {

    static List<Path> examples() {
        return GoldenExamples.all();
    }

    @Test
    void theSharedExamplesAreAllThere() {
        assertThat(examples()).extracting(p -> p.getFileName().toString()).contains(
                "image-provenance-verified.json", "provenance-unsigned.json", "promotion-awaiting-approval.json",
                "rollout-in-progress.json", "rollout-paused.json", "rollout-aborted.json", "rollout-completed.json",
                "rollback.json", "hostile.json", "blue-green-paused.json", "several-images.json", "release-recorded-by-v1.json");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleSurvivesParseAndSerializeUnchanged(Path example) {
        String golden = GoldenExamples.text(example);

        String written = ModelJson.write(ModelJson.read(golden));

        assertThat(GoldenExamples.sameDocument(golden, written))
                .as("%s after a round trip:%n%s", example.getFileName(), GoldenExamples.tree(written).toPrettyString())
                .isTrue();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleIsTheCurrentSchemaVersion(Path example) {
        assertThat(ModelJson.read(GoldenExamples.text(example)).schemaVersion()).isEqualTo(DeploymentModel.SCHEMA_VERSION);
    }
}
