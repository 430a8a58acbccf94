package io.jenkins.plugins.immutabledeployment.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an older {@code docker save} tarball ({@code manifest.json} naming a config file and layer tars) and makes
 * the Docker schema 2 manifest that describes it. The digests of config and layers are computed here from the
 * files (one streaming pass per layer), and the manifest's bytes, hence the image digest, are this product's own.
 */
final class DockerArchiveReader {

    private static final int CONFIG_MAX = 16 << 20;

    private final ArchiveFiles files;
    private final String field;

    private DockerArchiveReader(ArchiveFiles files, String field) {
        this.files = files;
        this.field = field;
    }

    static ImageArchive read(ArchiveFiles files, String image, String field, Path temporary) throws IOException {
        return new DockerArchiveReader(files, field).read(image, temporary);
    }

    private ImageArchive read(String wanted, Path temporary) throws IOException {
        ArchiveFiles.File manifestFile = files.find("manifest.json")
                .orElseThrow(() -> refuse("has no manifest.json"));
        JsonNode images = Json.mapper().readTree(manifestFile.readAll(RegistryClient.MANIFEST_MAX_BYTES));
        if (images == null || !images.isArray() || images.isEmpty()) {
            throw refuse("has a manifest.json that lists no image");
        }
        JsonNode image = pick(images, wanted);
        String configPath = image.path("Config").asText("");
        ArchiveFiles.File configFile = file(configPath, "config");
        byte[] config = configFile.readAll(CONFIG_MAX);
        ImageArchive.Contents contents = new ImageArchive.Contents();
        Digest configDigest = Digest.sha256(config);
        contents.blobs.put(configDigest, new ImageArchive.ArchiveBlob(configDigest, configFile));

        JsonNode diffIds = Json.mapper().readTree(config).path("rootfs").path("diff_ids");
        JsonNode layerPaths = image.path("Layers");
        if (!layerPaths.isArray()) {
            throw refuse("has a manifest.json without a Layers list");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < layerPaths.size(); i++) {
            ArchiveFiles.File layerFile = file(layerPaths.get(i).asText(""), "layer " + (i + 1));
            Layer layer = hash(layerFile);
            if (!layer.gzip() && diffIds.has(i) && !layer.digest().toString().equals(diffIds.get(i).asText())) {
                throw refuse("has layer " + layerFile.path() + " whose digest " + layer.digest()
                        + " differs from the config's diff_id " + diffIds.get(i).asText());
            }
            String mediaType = layer.gzip() ? MediaTypes.DOCKER_LAYER_TAR_GZIP : MediaTypes.DOCKER_LAYER_TAR;
            layers.add(Descriptor.of(mediaType, layer.digest(), layerFile.size()));
            contents.blobs.putIfAbsent(layer.digest(), new ImageArchive.ArchiveBlob(layer.digest(), layerFile));
        }
        Manifest manifest = Manifest.imageManifest(MediaTypes.DOCKER_MANIFEST,
                Descriptor.of(MediaTypes.DOCKER_CONFIG, configDigest, config.length), layers, null, null, null);
        contents.addManifest(manifest);
        return contents.finish(ImageArchive.Format.DOCKER_ARCHIVE, manifest, temporary);
    }

    /** The image tagged {@code wanted} ({@code RepoTags}, as written or as the same normalised reference), else the only one. */
    private JsonNode pick(JsonNode images, String wanted) {
        if (wanted == null) {
            if (images.size() > 1) {
                throw refuse("holds " + images.size() + " images (" + tags(images) + "); name the one to push as PATH:REPO:TAG");
            }
            return images.get(0);
        }
        for (JsonNode image : images) {
            for (JsonNode tag : image.path("RepoTags")) {
                if (sameReference(wanted, tag.asText(""))) {
                    return image;
                }
            }
        }
        throw refuse("has no image tagged \"" + wanted + "\"; it holds " + tags(images));
    }

    private static boolean sameReference(String wanted, String tag) {
        if (wanted.equals(tag)) {
            return true;
        }
        try {
            return ImageRef.parse(wanted, "archive").equals(ImageRef.parse(tag, "archive"));
        } catch (InvalidInputException notAReference) {
            return false;
        }
    }

    private static String tags(JsonNode images) {
        List<String> tags = new ArrayList<>();
        for (JsonNode image : images) {
            List<String> own = new ArrayList<>();
            image.path("RepoTags").forEach(tag -> own.add(tag.asText("")));
            tags.add(own.isEmpty() ? "an untagged image" : String.join(", ", own));
        }
        return String.join("; ", tags);
    }

    private record Layer(Digest digest, boolean gzip) {}

    private static Layer hash(ArchiveFiles.File file) throws IOException {
        MessageDigest sha256 = Digest.sha256Digest();
        byte[] buffer = new byte[1 << 16];
        boolean gzip = false;
        boolean first = true;
        try (InputStream in = file.open()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (first && n >= 2) {
                    gzip = (buffer[0] & 0xff) == 0x1f && (buffer[1] & 0xff) == 0x8b;
                }
                first = false;
                sha256.update(buffer, 0, n);
            }
        }
        return new Layer(Digest.of("sha256", sha256.digest()), gzip);
    }

    private ArchiveFiles.File file(String path, String what) throws IOException {
        if (path.isEmpty()) {
            throw refuse("has a manifest.json without a path for the " + what);
        }
        return files.find(path).orElseThrow(() -> refuse("lacks " + path + " (the " + what + ")"));
    }

    private InvalidInputException refuse(String problem) {
        return new InvalidInputException(field, "the docker save archive " + problem, ImageArchive.ACCEPTED_FORM);
    }
}
