package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ARG} values for a Dockerfile build, in the order given. Names are Dockerfile ARG names; values are
 * single-line text. They are not secrets: builders keep them in the image history, and the provenance records
 * them.
 */
public record BuildArgs(Map<String, String> values) {

    public static final String ACCEPTED_FORM = "a map of ARG names (letters, digits, '_', not starting with a digit) to "
            + "single-line strings, numbers or booleans, e.g. [VERSION: '1.4', DEBUG: false]";
    public static final String TEXT_FORM = "one NAME=value per line, e.g. VERSION=1.4";
    public static final BuildArgs NONE = new BuildArgs(Map.of());

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public BuildArgs {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** From the map a Pipeline script gives; {@code null} is none. */
    public static BuildArgs parse(Map<?, ?> map, String field) {
        if (map == null) {
            return NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = entry.getKey() == null ? "" : entry.getKey().toString();
            if (!NAME.matcher(name).matches()) {
                throw new InvalidInputException(field, "\"" + name + "\" is not an ARG name", ACCEPTED_FORM);
            }
            values.put(name, value(entry.getValue(), field + "." + name));
        }
        return new BuildArgs(values);
    }

    /** From the form's text: {@code NAME=value} lines; blank lines are skipped. */
    public static BuildArgs parseText(String text, String field) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException(field, "line " + (i + 1) + " has no NAME=", TEXT_FORM);
            }
            values.put(line.substring(0, eq).strip(), line.substring(eq + 1));
        }
        return parse(values, field);
    }

    /** The form's text for these values. */
    public String toText() {
        List<String> lines = new ArrayList<>();
        values.forEach((name, value) -> lines.add(name + "=" + value));
        return String.join("\n", lines);
    }

    /** {@code --build-arg NAME=value} for each, as every supported builder takes them. */
    public List<String> toArguments() {
        List<String> arguments = new ArrayList<>();
        values.forEach((name, value) -> {
            arguments.add("--build-arg");
            arguments.add(name + "=" + value);
        });
        return arguments;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static String value(Object value, String field) {
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
            String text = value.toString();
            if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\0') >= 0) {
                throw new InvalidInputException(field, "spans several lines", "a single-line value");
            }
            return text;
        }
        throw new InvalidInputException(field, value == null ? "has no value" : "is a " + value.getClass().getSimpleName(),
                "a string, number or boolean");
    }
}
