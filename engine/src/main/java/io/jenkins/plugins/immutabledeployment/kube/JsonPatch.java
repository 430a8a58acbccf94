package io.jenkins.plugins.immutabledeployment.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6902 JSON patch. Patches start with a {@code replace} of {@code /metadata/resourceVersion} by the version
 * that was read: the API server then refuses the patch with 409 Conflict if the object changed in between, which
 * makes the patch the write half of an optimistic read-modify-write. (No {@code test} operations: the API server
 * answers a failed test with 422 and the fabric8 mock server does not answer it at all.)
 */
final class JsonPatch {

    private final List<Map<String, Object>> operations = new ArrayList<>();

    private JsonPatch() {}

    static JsonPatch lockedTo(String resourceVersion) {
        return new JsonPatch().replace("/metadata/resourceVersion", resourceVersion);
    }

    JsonPatch replace(String path, Object value) {
        return operation("replace", path, value);
    }

    /** Adds a member, or replaces it if present. */
    JsonPatch add(String path, Object value) {
        return operation("add", path, value);
    }

    JsonPatch remove(String path) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", "remove");
        op.put("path", path);
        operations.add(op);
        return this;
    }

    /** A path segment with {@code ~} and {@code /} escaped, e.g. for annotation keys. */
    static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    String toJson() {
        try {
            return Json.mapper().writeValueAsString(operations);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON patch", e);
        }
    }

    private JsonPatch operation(String name, String path, Object value) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", name);
        op.put("path", path);
        op.put("value", value);
        operations.add(op);
        return this;
    }
}
