package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Normalises the free-form JSON objects and arrays of attestation records: sorted, null-free, immutable. */
final class JsonObjects {

    private static final String JSON_VALUE = "strings, numbers, booleans, lists and maps with string keys";

    private JsonObjects() {}

    /** A key-sorted, unmodifiable copy without null values; {@code null} or empty gives an empty map. */
    static <V> Map<String, V> sorted(Map<String, ? extends V> map, String field) {
        TreeMap<String, V> copy = new TreeMap<>();
        if (map != null) {
            map.forEach((key, value) -> {
                if (key == null || key.isBlank()) {
                    throw new InvalidInputException(field, "has an empty key", "non-empty keys");
                }
                if (value != null) {
                    requireJsonValue(value, field + "." + key);
                    copy.put(key, value);
                }
            });
        }
        return Collections.unmodifiableMap(copy);
    }

    /** As {@link #sorted} but {@code null} for nothing, so that the field is left out of the JSON. */
    static <V> Map<String, V> sortedOrNull(Map<String, ? extends V> map, String field) {
        Map<String, V> copy = sorted(map, field);
        return copy.isEmpty() ? null : copy;
    }

    /** An unmodifiable copy, or {@code null} for nothing, so that the field is left out of the JSON. */
    static <T> List<T> listOrNull(List<T> list) {
        return list == null || list.isEmpty() ? null : List.copyOf(list);
    }

    private static void requireJsonValue(Object value, String field) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, nested) -> {
                if (!(key instanceof String)) {
                    throw new InvalidInputException(field, "has a non-string key", JSON_VALUE);
                }
                if (nested != null) {
                    requireJsonValue(nested, field + "." + key);
                }
            });
            return;
        }
        if (value instanceof Collection<?> items) {
            items.stream().filter(item -> item != null).forEach(item -> requireJsonValue(item, field + "[]"));
            return;
        }
        throw new InvalidInputException(field, "is a " + value.getClass().getSimpleName(), JSON_VALUE);
    }
}
