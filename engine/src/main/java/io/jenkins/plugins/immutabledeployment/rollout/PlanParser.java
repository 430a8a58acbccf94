package io.jenkins.plugins.immutabledeployment.rollout;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a plan from the plain values a Pipeline step or the command line hands over.
 *
 * <ul>
 *   <li>Step maps: {@code [[setWeight: 10], [pause: '2m'], [pause: 'manual'], [analysis: 'errors']]}; Argo's
 *       {@code [pause: [duration: '2m']]} and {@code [pause: [:]]} (manual) are understood too.
 *   <li>Shorthand: {@code weights: [10, 50, 100], interval: '2m'} is a setWeight per weight with a pause of
 *       {@code interval} between consecutive weights.
 *   <li>Command line: {@code 10,pause:30s,analysis:errors,50,pause:manual,100}.
 *   <li>Blue/green: {@code blueGreen: true} with {@code steps} that are the gate only (pauses and analyses; a manual
 *       pause when none are given), see {@link RolloutPlan}; {@code weights} and {@code interval} are refused with it.
 * </ul>
 *
 * Every error names the step ({@code steps[2].setWeight}) and the accepted form.
 */
public final class PlanParser {

    public static final String STEP_FORM = "one of setWeight: N, pause: 'DURATION' or 'manual', analysis: 'NAME'";
    static final String WEIGHT_FORM = "an integer 0..100";
    static final String PAUSE_FORM = "'manual' or " + Durations.ACCEPTED_FORM;
    public static final String TEXT_STEP_FORM = "N (a weight 0..100), pause:DURATION, pause:manual or analysis:NAME";

    private static final List<String> ARGUMENT_KEYS = List.of("steps", "weights", "interval", "analysis", "progressDeadline", "blueGreen");

    private PlanParser() {}

    /**
     * A whole plan from step arguments: {@code steps} or {@code weights} (+ {@code interval}), {@code analysis}
     * (a map of name to definition, see {@link AnalysisSpecParser#parse}), {@code progressDeadline} and
     * {@code blueGreen}.
     */
    public static RolloutPlan fromArguments(String image, Map<String, ?> arguments) {
        PlainValues.onlyKnownKeys(arguments, ARGUMENT_KEYS, "canaryRollout");
        Object steps = arguments.get("steps");
        Object weights = arguments.get("weights");
        boolean blueGreen = flag(arguments.get("blueGreen"), "blueGreen");
        if (blueGreen) {
            for (String shorthand : List.of("weights", "interval")) {
                if (arguments.get(shorthand) != null) {
                    throw new InvalidInputException(shorthand, "cannot be combined with blueGreen, which sets the weights itself"
                            + " (the preview at 0%, then 100% at once)", "blueGreen with steps that are " + RolloutPlan.GATE_FORM);
                }
            }
        }
        if (steps != null && weights != null) {
            throw new InvalidInputException("weights", "cannot be combined with steps", "either steps or weights");
        }
        if (steps == null && weights == null && arguments.get("interval") != null) {
            throw new InvalidInputException("interval", "is given without weights", "interval together with weights");
        }
        List<Step> parsed;
        if (weights != null) {
            parsed = weights(asList(weights, "weights"), arguments.get("interval"));
        } else if (steps instanceof CharSequence text) {
            parsed = stepsFromText(text.toString());
        } else {
            parsed = steps == null ? List.of() : steps(asList(steps, "steps"));
        }
        Object analyses = arguments.get("analysis");
        Map<String, AnalysisSpec> specs = analyses == null ? Map.of() : AnalysisSpecParser.parse(asMap(analyses, "analysis"), "analysis");
        Object deadline = arguments.get("progressDeadline");
        Duration progressDeadline = deadline == null ? null
                : Durations.parse(PlainValues.text(deadline, "progressDeadline", Durations.ACCEPTED_FORM), "progressDeadline");
        return new RolloutPlan(image, parsed, specs, progressDeadline, blueGreen);
    }

    private static boolean flag(Object value, String field) {
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        String text = PlainValues.text(value, field, "true or false");
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new InvalidInputException(field, PlainValues.describe(value) + " is not true or false", "true or false");
    }

    /** Steps from a list of one-key maps. */
    public static List<Step> steps(List<?> values) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String field = "steps[" + i + "]";
            if (!(values.get(i) instanceof Map<?, ?> map) || map.size() != 1) {
                throw new InvalidInputException(field, PlainValues.describe(values.get(i)) + " is not a single-key map", STEP_FORM);
            }
            Map.Entry<?, ?> entry = map.entrySet().iterator().next();
            steps.add(step(String.valueOf(entry.getKey()), entry.getValue(), field));
        }
        return steps;
    }

    /** Steps from the command-line form, e.g. {@code 10,pause:30s,analysis:errors,50,pause:manual,100}. */
    public static List<Step> stepsFromText(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("steps", "is empty", "a comma-separated list of " + TEXT_STEP_FORM);
        }
        String[] tokens = text.split(",", -1);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            String field = "steps[" + i + "]";
            String token = tokens[i].trim();
            if (token.isEmpty()) {
                throw new InvalidInputException(field, "is empty", TEXT_STEP_FORM);
            }
            int colon = token.indexOf(':');
            if (colon < 0) {
                steps.add(token.equalsIgnoreCase("pause") ? Step.Pause.manual() : step("setWeight", token, field));
            } else {
                String kind = token.substring(0, colon).trim();
                String value = token.substring(colon + 1).trim();
                steps.add(step("weight".equals(kind) ? "setWeight" : kind, value, field));
            }
        }
        return steps;
    }

    /** The shorthand: a setWeight per weight, with a pause of {@code interval} (if given) between them. */
    public static List<Step> weights(List<?> weights, Object interval) {
        Duration pause = interval == null ? null
                : Durations.parse(PlainValues.text(interval, "interval", Durations.ACCEPTED_FORM), "interval");
        List<Step> steps = new ArrayList<>();
        int previous = 0;
        for (int i = 0; i < weights.size(); i++) {
            String field = "weights[" + i + "]";
            int weight = weight(weights.get(i), field);
            if (weight < previous) {
                throw new InvalidInputException(field, weight + " is lower than the weight before it (" + previous + ")",
                        "weights that never decrease");
            }
            if (i > 0 && pause != null) {
                steps.add(Step.Pause.of(pause));
            }
            steps.add(new Step.SetWeight(weight));
            previous = weight;
        }
        if (previous < 100 && pause != null && !steps.isEmpty()) {
            steps.add(Step.Pause.of(pause));
        }
        return steps;
    }

    private static Step step(String kind, Object value, String field) {
        return switch (kind) {
            case "setWeight" -> new Step.SetWeight(weight(value, field + ".setWeight"));
            case "pause" -> pause(value, field + ".pause");
            case "analysis" -> new Step.Analysis(PlainValues.text(value, field + ".analysis", "the name of a defined analysis"));
            default -> throw new InvalidInputException(field, "\"" + kind + "\" is not a step", STEP_FORM);
        };
    }

    private static int weight(Object value, String field) {
        int weight = PlainValues.integer(value, field, WEIGHT_FORM);
        if (weight < 0 || weight > 100) {
            throw new InvalidInputException(field, weight + " is outside 0..100", WEIGHT_FORM);
        }
        return weight;
    }

    private static Step.Pause pause(Object value, String field) {
        if (value instanceof Map<?, ?> map) {
            PlainValues.onlyKnownKeys(map, List.of("duration"), field);
            Object duration = map.get("duration");
            return duration == null ? Step.Pause.manual() : pause(duration, field + ".duration");
        }
        String text = PlainValues.text(value, field, PAUSE_FORM);
        if (text.toLowerCase(Locale.ROOT).equals("manual")) {
            return Step.Pause.manual();
        }
        try {
            return Step.Pause.of(Durations.parse(text, field));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(field, "\"" + text + "\" is neither 'manual' nor a duration", PAUSE_FORM);
        }
    }

    static List<?> asList(Object value, String field) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new InvalidInputException(field, PlainValues.describe(value) + " is not a list", "a list");
    }

    static Map<?, ?> asMap(Object value, String field) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new InvalidInputException(field, PlainValues.describe(value) + " is not a map", "a map");
    }
}
