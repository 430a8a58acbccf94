package io.jenkins.plugins.immutabledeployment.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretValuesTest {

    private static final SecretValues SECRETS = SecretValues.of(Set.of("TOKEN", "EMPTY", "UNSET"),
            Map.of("TOKEN", "s3cr3t", "EMPTY", "", "PUBLIC", "1.4"));

    @Test
    void masksEveryArgumentThatContainsASecretValue() {
        List<String> argv = List.of("buildah", "bud", "--build-arg", "TOKEN=s3cr3t", "--build-arg", "VERSION=1.4", "-t", "x");
        assertThat(SECRETS.masks(argv)).containsExactly(false, false, false, true, false, false, false, false);
    }

    @Test
    void anEmptyOrUnsetSecretMasksNothing() {
        assertThat(SECRETS.values()).containsExactly("s3cr3t");
        assertThat(SecretValues.NONE.masks(List.of("a", ""))).containsExactly(false, false);
    }

    @Test
    void recordsShowBuildArgsThatCarryASecretMasked() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("VERSION", "1.4");
        values.put("TOKEN", "s3cr3t");
        values.put("URL", "https://user:s3cr3t@example.com");
        BuildArgs args = new BuildArgs(values);

        assertThat(SECRETS.redact(args).values()).containsExactly(
                Map.entry("VERSION", "1.4"), Map.entry("TOKEN", SecretValues.MASK), Map.entry("URL", SecretValues.MASK));
        assertThat(SECRETS.carriedBy(args)).containsExactly("TOKEN", "URL");
    }

    @Test
    void aRedactedRequestRecordsNoSecretInTheProvenanceParameters() {
        BuildRequest request = BuildRequest.parse(Map.of("image", "registry.example.com/shop/api", "dockerfile", "Dockerfile",
                "buildArgs", Map.of("TOKEN", "s3cr3t")));
        assertThat(request.externalParameters().toString()).contains("s3cr3t");
        assertThat(request.redacted(SECRETS).externalParameters().get("buildArgs")).isEqualTo(Map.of("TOKEN", SecretValues.MASK));
    }
}
