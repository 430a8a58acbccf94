package io.jenkins.plugins.immutabledeployment.forms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the values a Pipeline script writes as lists and maps to and from the single text fields of the
 * Snippet Generator form: weights as {@code 10, 50, 100}, a canary step list or an analysis map as JSON.
 * Pure conversion: what the values mean is checked by the engine.
 */
public final class FormText {

    public static final String WEIGHTS_FORM = "whole numbers separated by commas, e.g. 10, 50, 100";
    public static final String STEPS_FORM = "a JSON list of one-key objects, e.g. [{\"setWeight\": 10}, {\"pause\": \"2m\"}]";
    public static final String ANALYSIS_FORM =
            "a JSON object of named analyses, e.g. {\"errors\": {\"prometheus\": \"http://prometheus:9090\", \"query\": \"…\"}}";

    private FormText() {}

    /** {@code "10, 50,100"} → [10, 50, 100]; blank → null (not set). */
    public static List<Integer> weights(String field, String text) {
        if (isBlank(text)) {
            return null;
        }
        List<Integer> weights = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String item = part.trim();
            try {
                weights.add(Integer.valueOf(item));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(field, "\"" + item + "\" is not a whole number", WEIGHTS_FORM);
            }
        }
        return weights;
    }

    public static String weightsText(List<Integer> weights) {
        if (weights == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        weights.forEach(w -> parts.add(String.valueOf(w)));
        return String.join(", ", parts);
    }

    /** A JSON list of objects → a list of ordered maps; blank → null (not set). */
    public static List<Map<String, Object>> mapList(String field, String text) {
        if (isBlank(text)) {
            return null;
        }
        try {
            return Json.mapper().readValue(text, new TypeReference<List<LinkedHashMap<String, Object>>>() {})
                    .stream()
                    .map(m -> (Map<String, Object>) m)
                    .toList();
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(field, "is not a JSON list of objects (" + e.getOriginalMessage() + ")", STEPS_FORM);
        }
    }

    /** A JSON object → an ordered map; blank → null (not set). */
    public static Map<String, Object> map(String field, String text) {
        if (isBlank(text)) {
            return null;
        }
        try {
            return Json.mapper().readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(field, "is not a JSON object (" + e.getOriginalMessage() + ")", ANALYSIS_FORM);
        }
    }

    /** Lists and maps back to JSON text for the form; null → "". */
    public static String json(Object value) {
        if (value == null) {
            return "";
        }
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write form value as JSON", e);
        }
    }

    static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
