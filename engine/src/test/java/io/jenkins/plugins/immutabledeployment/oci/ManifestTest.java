package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {

    private static final Digest CONFIG = Digest.sha256("config".getBytes(StandardCharsets.UTF_8));
    private static final Digest LAYER = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));

    @Test
    void keepsExactBytesAndReadsDescriptors() {
        String json = "{ \"schemaVersion\": 2, \"mediaType\": \"" + MediaTypes.DOCKER_MANIFEST + "\","
                + " \"config\": {\"mediaType\": \"" + MediaTypes.DOCKER_CONFIG + "\", \"digest\": \"" + CONFIG + "\", \"size\": 6},"
                + " \"layers\": [{\"mediaType\": \"" + MediaTypes.DOCKER_LAYER_TAR_GZIP + "\", \"digest\": \"" + LAYER
                + "\", \"size\": 5, \"annotations\": {\"k\": \"v\"}}] }";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        Manifest manifest = Manifest.parse(bytes, "application/json; charset=utf-8");

        assertThat(manifest.bytes()).isEqualTo(bytes);
        assertThat(manifest.digest()).isEqualTo(Digest.sha256(bytes));
        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(manifest.isIndex()).isFalse();
        assertThat(manifest.blobs()).extracting(Descriptor::digest).containsExactly(CONFIG, LAYER);
        assertThat(manifest.layers().get(0).annotations()).containsEntry("k", "v");
    }

    @Test
    void infersMediaTypeFromContentTypeOrShape() {
        String index = "{\"schemaVersion\":2,\"manifests\":[]}";
        assertThat(Manifest.parse(index.getBytes(StandardCharsets.UTF_8), null).mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(Manifest.parse(index.getBytes(StandardCharsets.UTF_8), MediaTypes.DOCKER_MANIFEST_LIST).mediaType())
                .isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        String image = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + CONFIG + "\",\"size\":1},\"layers\":[]}";
        assertThat(Manifest.parse(image.getBytes(StandardCharsets.UTF_8), null).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    }

    @Test
    void refusesWhatIsNotASupportedManifest() {
        assertThatThrownBy(() -> Manifest.parse("nope".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(InvalidManifestException.class);
        assertThatThrownBy(() -> Manifest.parse("{\"schemaVersion\":1,\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("schema 1");
        assertThatThrownBy(() -> Manifest.parse("{\"mediaType\":\"text/plain\"}".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("unsupported manifest media type");
        assertThatThrownBy(() -> Manifest.parse(("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:12\",\"size\":1}]}")
                        .getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("invalid digest");
        assertThatThrownBy(() -> Manifest.parse(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}")
                        .getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("no \"config\"");
    }

    @Test
    void buildsDeterministicArtifactManifestsWithSubject() {
        Descriptor config = Descriptor.of(MediaTypes.OCI_EMPTY, Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)), 2);
        Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, LAYER, 123);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("z", "last");
        annotations.put("a", "first");

        Manifest one = Manifest.imageManifest(MediaTypes.OCI_MANIFEST, config,
                List.of(Descriptor.of("application/vnd.in-toto+json", CONFIG, 6)), "application/vnd.dsse+json", subject,
                annotations);
        Manifest two = Manifest.imageManifest(MediaTypes.OCI_MANIFEST, config,
                List.of(Descriptor.of("application/vnd.in-toto+json", CONFIG, 6)), "application/vnd.dsse+json", subject,
                annotations);

        assertThat(one.bytes()).isEqualTo(two.bytes());
        assertThat(new String(one.bytes(), StandardCharsets.UTF_8))
                .startsWith("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\"")
                .contains("\"annotations\":{\"z\":\"last\",\"a\":\"first\"}");
        assertThat(one.subject()).contains(subject);
        assertThat(one.artifactType()).isEqualTo("application/vnd.dsse+json");
        assertThat(Manifest.index(MediaTypes.OCI_INDEX, List.of(one.descriptor()), null, null, null).manifests())
                .containsExactly(one.descriptor());
    }
}
