package io.jenkins.plugins.immutabledeployment.steps;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies the maps and lists a Pipeline script passes (Groovy maps, GStrings) into plain ordered Java data:
 * maps with String keys, lists, Strings, numbers and booleans. Anything else is refused, naming the field.
 */
final class PlainValues {

    private PlainValues() {}

    static Map<String, Object> map(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException(field, "is a " + value.getClass().getSimpleName() + ", not a map", "a map such as [name: value]");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof CharSequence key)) {
                throw new InvalidInputException(field, "has a key that is not a string: " + e.getKey(), "a map with string keys");
            }
            copy.put(key.toString(), plain(field, e.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    static List<Map<String, Object>> mapList(String field, List<?> value) {
        if (value == null) {
            return null;
        }
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Object item : value) {
            copy.add(map(field, item));
        }
        return Collections.unmodifiableList(copy);
    }

    private static Object plain(String field, Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Map<?, ?>) {
            return map(field, value);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            for (Object item : list) {
                copy.add(plain(field, item));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new InvalidInputException(field, "contains a " + value.getClass().getSimpleName(),
                "strings, numbers, booleans, lists and maps");
    }
}
