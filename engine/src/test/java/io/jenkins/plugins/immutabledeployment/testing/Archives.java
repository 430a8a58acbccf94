package io.jenkins.plugins.immutabledeployment.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Turns an OCI layout made by umoci into the other archive formats an image can come in. */
public final class Archives {

    private Archives() {}

    /** An OCI archive: a tar of the layout. */
    public static Path ociArchive(Path layout, Path tar) {
        Command.run(List.of("tar", "-cf", tar.toString(), "-C", layout.toString(), "."));
        return tar;
    }

    /**
     * A tarball as the older {@code docker save} writes it: {@code manifest.json}, {@code <hex>.json} config,
     * {@code <n>/layer.tar} uncompressed layers. The layout must hold exactly one image manifest.
     */
    public static Path dockerSave(Path layout, Path tar, String repoTag) {
        try {
            Path work = Files.createTempDirectory("docker-save-");
            JsonNode index = Json.mapper().readTree(layout.resolve("index.json").toFile());
            JsonNode manifest = Json.mapper().readTree(blob(layout, index.path("manifests").get(0).path("digest").asText()).toFile());
            String configHex = manifest.path("config").path("digest").asText().substring("sha256:".length());
            Files.copy(blob(layout, "sha256:" + configHex), work.resolve(configHex + ".json"));
            ObjectNode entry = Json.mapper().createObjectNode();
            entry.put("Config", configHex + ".json");
            entry.putArray("RepoTags").add(repoTag);
            ArrayNode layers = entry.putArray("Layers");
            int n = 0;
            for (JsonNode layer : manifest.path("layers")) {
                Path directory = Files.createDirectories(work.resolve("layer" + n++));
                try (InputStream in = new GZIPInputStream(Files.newInputStream(blob(layout, layer.path("digest").asText())))) {
                    Files.copy(in, directory.resolve("layer.tar"));
                }
                layers.add(work.relativize(directory.resolve("layer.tar")).toString());
            }
            Files.write(work.resolve("manifest.json"), Json.mapper().writeValueAsBytes(List.of(entry)));
            Command.run(List.of("tar", "-cf", tar.toString(), "-C", work.toString(), "."));
            RegistryServer.deleteRecursively(work);
            return tar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newer {@code docker save} format: an OCI layout plus {@code manifest.json}, in a tar. */
    public static Path dockerSaveOciLayout(Path layout, Path tar) {
        try {
            Path work = Files.createTempDirectory("docker-save-oci-");
            Command.run(List.of("cp", "-r", layout + "/.", work.toString()));
            Files.writeString(work.resolve("manifest.json"), "[]");
            Command.run(List.of("tar", "-cf", tar.toString(), "-C", work.toString(), "."));
            RegistryServer.deleteRecursively(work);
            return tar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path blob(Path layout, String digest) {
        int colon = digest.indexOf(':');
        return layout.resolve("blobs").resolve(digest.substring(0, colon)).resolve(digest.substring(colon + 1));
    }
}
