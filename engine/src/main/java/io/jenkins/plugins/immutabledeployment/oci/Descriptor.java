package io.jenkins.plugins.immutabledeployment.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor: what a manifest says about a blob or a child manifest.
 *
 * @param artifactType the artifact type of a referrer or index child, or {@code null}
 * @param annotations never {@code null}, possibly empty
 * @param platform the platform of an index child, or {@code null}
 */
public record Descriptor(
        String mediaType, Digest digest, long size, String artifactType, Map<String, String> annotations,
        Platform platform) {

    /** The platform an index child runs on. */
    public record Platform(String os, String architecture, String variant) {
        @Override
        public String toString() {
            return os + "/" + architecture + (variant == null ? "" : "/" + variant);
        }
    }

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        // Insertion order is kept: it decides the bytes, and so the digest, of manifests built from descriptors.
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, Map.of(), null);
    }

    /** Reads a descriptor from a manifest's JSON; a malformed one is an {@link InvalidManifestException}. */
    static Descriptor fromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new InvalidManifestException(where + " is not a descriptor object");
        }
        String mediaType = text(node, "mediaType");
        String digestText = text(node, "digest");
        JsonNode size = node.get("size");
        if (mediaType == null || digestText == null || size == null || !size.canConvertToLong() || size.asLong() < 0) {
            throw new InvalidManifestException(where + " lacks mediaType, digest or a valid size");
        }
        Digest digest;
        try {
            digest = Digest.parse(digestText, where);
        } catch (InvalidInputException e) {
            throw new InvalidManifestException(where + " has an invalid digest \"" + digestText + "\"");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode annotationsNode = node.get("annotations");
        if (annotationsNode != null && annotationsNode.isObject()) {
            annotationsNode.fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        }
        Platform platform = null;
        JsonNode platformNode = node.get("platform");
        if (platformNode != null && platformNode.isObject()) {
            platform = new Platform(text(platformNode, "os"), text(platformNode, "architecture"),
                    text(platformNode, "variant"));
        }
        return new Descriptor(mediaType, digest, size.asLong(), text(node, "artifactType"), annotations, platform);
    }

    /** This descriptor as JSON, fields in the order the OCI image spec lists them. */
    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("mediaType", mediaType);
        if (artifactType != null) {
            node.put("artifactType", artifactType);
        }
        node.put("digest", digest.toString());
        node.put("size", size);
        if (!annotations.isEmpty()) {
            ObjectNode annotationsNode = node.putObject("annotations");
            annotations.forEach(annotationsNode::put);
        }
        if (platform != null) {
            ObjectNode platformNode = node.putObject("platform");
            platformNode.put("architecture", platform.architecture());
            platformNode.put("os", platform.os());
            if (platform.variant() != null) {
                platformNode.put("variant", platform.variant());
            }
        }
        return node;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
