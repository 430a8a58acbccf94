package io.jenkins.plugins.immutabledeployment.rollout;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.List;

/**
 * Reading the plain values a Pipeline step, a JSON file or a command line hands over (Groovy gives Integer,
 * Long, BigDecimal or String; JSON gives Integer, Double or String) into checked Java values, with errors that
 * name the field.
 */
final class PlainValues {

    private PlainValues() {}

    static int integer(Object value, String field, String acceptedForm) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long n = ((Number) value).longValue();
            if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                throw new InvalidInputException(field, n + " is too large", acceptedForm);
            }
            return (int) n;
        }
        if (value instanceof Number number) {
            BigDecimal decimal = new BigDecimal(number.toString());
            try {
                return decimal.intValueExact();
            } catch (ArithmeticException e) {
                throw new InvalidInputException(field, number + " is not a whole number", acceptedForm);
            }
        }
        if (value instanceof String text && text.trim().matches("[-+]?\\d{1,9}")) {
            return Integer.parseInt(text.trim());
        }
        throw new InvalidInputException(field, describe(value) + " is not a whole number", acceptedForm);
    }

    static String text(Object value, String field, String acceptedForm) {
        if (value instanceof CharSequence text && !text.toString().isBlank()) {
            return text.toString().trim();
        }
        throw new InvalidInputException(
                field, value == null || value instanceof CharSequence ? "is empty" : describe(value) + " is not text", acceptedForm);
    }

    /** Refuses keys outside {@code known}, so that a typo ({@code failif}) is not silently ignored. */
    static void onlyKnownKeys(Map<?, ?> map, List<String> known, String field) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new InvalidInputException(
                        field + "." + key, "is not a known key", "one of " + String.join(", ", known));
            }
        }
    }

    static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        return value instanceof CharSequence ? "\"" + value + "\"" : value.toString();
    }
}
