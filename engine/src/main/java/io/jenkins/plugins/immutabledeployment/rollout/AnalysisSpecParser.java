package io.jenkins.plugins.immutabledeployment.rollout;

import io.jenkins.plugins.immutabledeployment.Problems;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads analysis definitions from plain values: a map of name to definition, as the Pipeline step's
 * {@code analysis:} argument or the CLI's {@code --analysis FILE.json} gives them:
 * <pre>{"errors": {"prometheus": "http://prometheus:9090", "query": "sum(rate(http_errors_total[1m]))",
 *             "failIf": "> 0.5", "interval": "30s", "count": 4}}</pre>
 */
public final class AnalysisSpecParser {

    static final List<String> KEYS = List.of("prometheus", "query", "failIf", "successIf", "interval", "count",
            "failureLimit", "inconclusiveLimit", "consecutiveErrorLimit", "initialDelay", "timeout");

    private static final String NAME_FORM = "a name of letters, digits, '-', '_' or '.'";
    private static final String COUNT_FORM = "a whole number";

    private AnalysisSpecParser() {}

    /** Definitions by name; {@code field} names the whole map in messages ({@code analysis}, {@code --analysis}). */
    public static Map<String, AnalysisSpec> parse(Map<?, ?> definitions, String field) {
        Map<String, AnalysisSpec> specs = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : definitions.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new InvalidInputException(field, "\"" + name + "\" is not a valid analysis name", NAME_FORM);
            }
            specs.put(name, definition(name, PlanParser.asMap(entry.getValue(), field + "." + name), field + "." + name));
        }
        return specs;
    }

    /**
     * {@code definitions} (name to definition, as {@link #parse} takes them) with {@code defaultPrometheus} put into
     * each definition that names no {@code prometheus}: a controller-wide default. {@code null} or blank changes
     * nothing; anything else is checked as a Prometheus address first ({@code defaultField} names it).
     */
    public static Map<String, Object> withDefaultPrometheus(Map<?, ?> definitions, String defaultPrometheus, String defaultField) {
        Map<String, Object> filled = new LinkedHashMap<>();
        boolean given = defaultPrometheus != null && !defaultPrometheus.isBlank();
        if (given) {
            prometheusAddress(defaultPrometheus.strip(), defaultField);
        }
        definitions.forEach((name, definition) -> {
            if (given && definition instanceof Map<?, ?> values && values.get("prometheus") == null) {
                Map<String, Object> copy = new LinkedHashMap<>();
                values.forEach((key, value) -> copy.put(String.valueOf(key), value));
                copy.put("prometheus", defaultPrometheus.strip());
                filled.put(String.valueOf(name), copy);
            } else {
                filled.put(String.valueOf(name), definition);
            }
        });
        return filled;
    }

    /** A Prometheus server's address as an analysis takes it: an http(s) URL with a host, no user information. */
    public static URI prometheusAddress(String text, String field) {
        URI address = address(text, field);
        AnalysisSpec.checkAddress(address, field);
        return address;
    }

    /** Definitions from a JSON file holding one object of name to definition. */
    public static Map<String, AnalysisSpec> fromJson(Path file, String field) {
        String accepted = "a JSON object of analysis name to definition";
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException(field, "cannot read " + file + " (" + Problems.describe(e) + ")", accepted);
        }
        Map<String, Object> definitions;
        try {
            definitions = Json.mapper().readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(field, file + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), accepted);
        }
        if (definitions == null) {
            throw new InvalidInputException(field, file + " holds null", accepted);
        }
        return parse(definitions, field);
    }

    private static AnalysisSpec definition(String name, Map<?, ?> values, String field) {
        PlainValues.onlyKnownKeys(values, KEYS, field);
        return new AnalysisSpec(
                name,
                address(values.get("prometheus"), field + ".prometheus"),
                values.get("query") == null ? null : PlainValues.text(values.get("query"), field + ".query", "a PromQL expression"),
                condition(values.get("failIf"), field + ".failIf"),
                condition(values.get("successIf"), field + ".successIf"),
                duration(values.get("interval"), field + ".interval"),
                integer(values.get("count"), AnalysisSpec.DEFAULT_COUNT, field + ".count"),
                integer(values.get("failureLimit"), 0, field + ".failureLimit"),
                integer(values.get("inconclusiveLimit"), 0, field + ".inconclusiveLimit"),
                integer(values.get("consecutiveErrorLimit"), AnalysisSpec.DEFAULT_CONSECUTIVE_ERROR_LIMIT, field + ".consecutiveErrorLimit"),
                duration(values.get("initialDelay"), field + ".initialDelay"),
                duration(values.get("timeout"), field + ".timeout"));
    }

    private static URI address(Object value, String field) {
        if (value == null) {
            return null;
        }
        String text = PlainValues.text(value, field, "an http or https URL such as http://prometheus:9090");
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            // The reason, not the text: an address may carry credentials.
            throw new InvalidInputException(field, "is not a URL (" + e.getReason() + ")", "an http or https URL such as http://prometheus:9090");
        }
    }

    private static Condition condition(Object value, String field) {
        return value == null ? null : Condition.parse(PlainValues.text(value, field, Condition.ACCEPTED_FORM), field);
    }

    private static Duration duration(Object value, String field) {
        return value == null ? null : Durations.parse(PlainValues.text(value, field, Durations.ACCEPTED_FORM), field);
    }

    private static int integer(Object value, int fallback, String field) {
        return value == null ? fallback : PlainValues.integer(value, field, COUNT_FORM);
    }
}
