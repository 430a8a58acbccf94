package io.jenkins.plugins.immutabledeployment.rollout;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A comparison of a measured value with a number, as written in {@code failIf} / {@code successIf}:
 * {@code "> 0.5"}, {@code "<= 100"}, {@code "!= 0"}. Argo Rollouts' spelling {@code "result > 0.5"} is accepted
 * too. NaN is never compared: a NaN measurement is inconclusive before any condition is asked.
 */
public record Condition(Operator operator, double threshold) {

    public static final String ACCEPTED_FORM = "an operator (<, <=, >, >=, ==, !=) and a number, e.g. \"> 0.5\"";

    private static final Pattern FORM =
            Pattern.compile("(?:result\\s*)?(<=|>=|==|!=|<|>)\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)");

    public Condition {
        if (operator == null) {
            throw new InvalidInputException("condition", "has no operator", ACCEPTED_FORM);
        }
        if (!Double.isFinite(threshold)) {
            throw new InvalidInputException("condition", "threshold " + threshold + " is not a finite number", ACCEPTED_FORM);
        }
    }

    /** The comparison operators, with the symbol users write. */
    public enum Operator {
        LESS("<"),
        LESS_OR_EQUAL("<="),
        GREATER(">"),
        GREATER_OR_EQUAL(">="),
        EQUAL("=="),
        NOT_EQUAL("!=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Operator ofSymbol(String symbol) {
            for (Operator operator : values()) {
                if (operator.symbol.equals(symbol)) {
                    return operator;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /** Parses {@code text}; {@code field} names the input in the error message. */
    public static Condition parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is empty", ACCEPTED_FORM);
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidInputException(field, "\"" + text + "\" is not a comparison", ACCEPTED_FORM);
        }
        return new Condition(Operator.ofSymbol(m.group(1)), Double.parseDouble(m.group(2)));
    }

    /** Whether {@code value} (a finite number or an infinity, never NaN) satisfies this condition. */
    public boolean test(double value) {
        return switch (operator) {
            case LESS -> value < threshold;
            case LESS_OR_EQUAL -> value <= threshold;
            case GREATER -> value > threshold;
            case GREATER_OR_EQUAL -> value >= threshold;
            case EQUAL -> value == threshold;
            case NOT_EQUAL -> value != threshold;
        };
    }

    /** The canonical text, e.g. {@code "> 0.5"}; parses back to an equal condition. */
    @Override
    public String toString() {
        return operator.symbol + " " + formatNumber(threshold);
    }

    static String formatNumber(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
