package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Problems;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest or index exactly as stored: its bytes (whose SHA-256 is its digest, so they are never re-serialised),
 * its media type, and the descriptors read from it.
 */
public final class Manifest {

    private final byte[] bytes;
    private final String mediaType;
    private final Digest digest;
    private final JsonNode json;

    private Manifest(byte[] bytes, String mediaType, JsonNode json) {
        this.bytes = bytes;
        this.mediaType = mediaType;
        this.digest = Digest.sha256(bytes);
        this.json = json;
    }

    /**
     * Reads manifest bytes. The media type is the manifest's own {@code mediaType} field; without one, the
     * declared type (a {@code Content-Type} or descriptor media type); without that, it is inferred.
     */
    public static Manifest parse(byte[] bytes, String declaredMediaType) {
        Objects.requireNonNull(bytes, "bytes");
        JsonNode json;
        try {
            json = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new InvalidManifestException("manifest is " + Problems.describe(e));
        }
        if (json == null || !json.isObject()) {
            throw new InvalidManifestException("manifest is not a JSON object");
        }
        String declared = stripParameters(declaredMediaType);
        String own = Descriptor.text(json, "mediaType");
        if (json.path("schemaVersion").asInt() == 1 || MediaTypes.DOCKER_SCHEMA1.equals(declared)
                || MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(declared)) {
            throw new InvalidManifestException("Docker schema 1 manifests are not supported; convert the image to"
                    + " Docker schema 2 or OCI");
        }
        String mediaType = own != null ? own
                : declared != null && MediaTypes.isManifest(declared) ? declared
                : json.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        if (!MediaTypes.isManifest(mediaType)) {
            throw new InvalidManifestException("unsupported manifest media type \"" + mediaType + "\"; supported: "
                    + MediaTypes.MANIFEST_ACCEPT);
        }
        Manifest manifest = new Manifest(bytes.clone(), mediaType, json);
        manifest.validate();
        return manifest;
    }

    /**
     * Builds an image (or artifact) manifest with a deterministic byte form, fields in the order the spec lists them.
     *
     * @param artifactType {@code null} for an image
     * @param subject {@code null} unless this manifest refers to another (an attestation, an SBOM)
     */
    public static Manifest imageManifest(
            String mediaType, Descriptor config, List<Descriptor> layers, String artifactType, Descriptor subject,
            Map<String, String> annotations) {
        ObjectNode node = start(mediaType, artifactType);
        node.set("config", config.toJson());
        ArrayNode layersNode = node.putArray("layers");
        layers.forEach(layer -> layersNode.add(layer.toJson()));
        return finish(node, mediaType, subject, annotations);
    }

    /** Builds an image index with a deterministic byte form. */
    public static Manifest index(
            String mediaType, List<Descriptor> manifests, String artifactType, Descriptor subject,
            Map<String, String> annotations) {
        ObjectNode node = start(mediaType, artifactType);
        ArrayNode manifestsNode = node.putArray("manifests");
        manifests.forEach(child -> manifestsNode.add(child.toJson()));
        return finish(node, mediaType, subject, annotations);
    }

    private static ObjectNode start(String mediaType, String artifactType) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("schemaVersion", 2);
        node.put("mediaType", mediaType);
        if (artifactType != null) {
            node.put("artifactType", artifactType);
        }
        return node;
    }

    private static Manifest finish(ObjectNode node, String mediaType, Descriptor subject, Map<String, String> annotations) {
        if (subject != null) {
            node.set("subject", subject.toJson());
        }
        if (annotations != null && !annotations.isEmpty()) {
            ObjectNode annotationsNode = node.putObject("annotations");
            annotations.forEach(annotationsNode::put);
        }
        try {
            return parse(Json.mapper().writeValueAsBytes(node), mediaType);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a manifest", e);
        }
    }

    private void validate() {
        if (isIndex()) {
            JsonNode manifests = json.get("manifests");
            if (manifests == null || !manifests.isArray()) {
                throw new InvalidManifestException("index " + digest + " has no \"manifests\" array");
            }
        } else if (!json.has("config")) {
            throw new InvalidManifestException("manifest " + digest + " has no \"config\"");
        }
        descriptors("manifests");
        descriptors("layers");
        config();
        subject();
    }

    public String mediaType() {
        return mediaType;
    }

    /** A copy of the exact bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public Digest digest() {
        return digest;
    }

    public long size() {
        return bytes.length;
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /** A descriptor of this manifest, as an index or a referrer points at it. */
    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, bytes.length, artifactType(), Map.of(), null);
    }

    public Optional<Descriptor> config() {
        return json.has("config") ? Optional.of(Descriptor.fromJson(json.get("config"), "config")) : Optional.empty();
    }

    public List<Descriptor> layers() {
        return descriptors("layers");
    }

    /** The children of an index (empty for an image manifest). */
    public List<Descriptor> manifests() {
        return descriptors("manifests");
    }

    /** The config and the layers: every blob an image manifest needs (empty for an index). */
    public List<Descriptor> blobs() {
        List<Descriptor> blobs = new ArrayList<>();
        config().ifPresent(blobs::add);
        blobs.addAll(layers());
        return blobs;
    }

    public Optional<Descriptor> subject() {
        return json.has("subject") ? Optional.of(Descriptor.fromJson(json.get("subject"), "subject")) : Optional.empty();
    }

    /** The {@code artifactType} field, or {@code null}. */
    public String artifactType() {
        return Descriptor.text(json, "artifactType");
    }

    /** A copy of the parsed JSON, for reading fields this class does not model. */
    public JsonNode json() {
        return json.deepCopy();
    }

    private List<Descriptor> descriptors(String field) {
        JsonNode array = json.get(field);
        if (array == null) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new InvalidManifestException("manifest " + digest + " field \"" + field + "\" is not an array");
        }
        List<Descriptor> descriptors = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            descriptors.add(Descriptor.fromJson(array.get(i), field + "[" + i + "]"));
        }
        return List.copyOf(descriptors);
    }

    static String stripParameters(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.isEmpty() ? null : type;
    }

    @Override
    public String toString() {
        return mediaType + " " + digest + " (" + bytes.length + " bytes)";
    }
}
