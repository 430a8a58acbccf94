package io.jenkins.plugins.immutabledeployment.rollout;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a rollout should do: put {@code image} (digest-pinned) through {@code steps}, judging with the
 * {@code analyses} the steps name, each weight reached within {@code progressDeadline}.
 *
 * <p>Validated when built: weights never decrease, the last weight is 100 (a {@code setWeight: 100} is appended
 * when missing, so every plan ends with the canary taking all traffic before stable is promoted), every
 * analysis a step names is defined. {@link #hash()} identifies the plan: a rollout in progress whose status
 * carries another hash restarts from step 0.
 *
 * <p>{@code blueGreen} is a shape of the same plan, not another engine: the canary runs at the stable's full
 * replica count from the start, the steps are {@code setWeight: 0} (the preview), the gate (pauses and analyses,
 * a manual pause when none is given) and {@code setWeight: 100} (the switch, all at once); the promotion of
 * stable follows as in any rollout. The weights are the shape's own: a blue/green plan given any other
 * {@code setWeight} is refused.
 */
public record RolloutPlan(String image, List<Step> steps, Map<String, AnalysisSpec> analyses, Duration progressDeadline,
        boolean blueGreen) {

    /** As Kubernetes' own {@code progressDeadlineSeconds} default. */
    public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);

    /** The accepted form of a blue/green plan's steps. */
    static final String GATE_FORM = "pause and analysis steps only (the gate before the switch), e.g. [[pause: 'manual']]";

    public RolloutPlan {
        checkImage(image);
        analyses = Collections.unmodifiableMap(new LinkedHashMap<>(analyses == null ? Map.of() : analyses));
        List<Step> given = steps == null ? List.of() : steps;
        steps = blueGreen ? blueGreenShape(checkSteps(given, analyses)) : withFinalWeight(checkSteps(given, analyses));
        progressDeadline = progressDeadline == null ? DEFAULT_PROGRESS_DEADLINE : progressDeadline;
        if (progressDeadline.isZero() || progressDeadline.isNegative()) {
            throw new InvalidInputException("progressDeadline", "must be longer than 0s", Durations.ACCEPTED_FORM);
        }
    }

    /** A canary plan. */
    public RolloutPlan(String image, List<Step> steps, Map<String, AnalysisSpec> analyses, Duration progressDeadline) {
        this(image, steps, analyses, progressDeadline, false);
    }

    public static RolloutPlan of(String image, List<Step> steps, Map<String, AnalysisSpec> analyses) {
        return new RolloutPlan(image, steps, analyses, null);
    }

    /** A blue/green plan whose gate is {@code gate} (pauses and analyses; a manual pause when empty). */
    public static RolloutPlan blueGreen(String image, List<Step> gate, Map<String, AnalysisSpec> analyses, Duration progressDeadline) {
        return new RolloutPlan(image, gate, analyses, progressDeadline, true);
    }

    /** Whether the step at {@code stepIndex} is the blue/green preview (the full-size canary at 0% traffic). */
    public boolean isPreview(int stepIndex) {
        return blueGreen && stepIndex == 0;
    }

    /** Whether the step at {@code stepIndex} is the blue/green switch of all traffic at once. */
    public boolean isSwitch(int stepIndex) {
        return blueGreen && stepIndex == steps.size() - 1;
    }

    /** The canary weight in effect once the steps before {@code stepIndex} are done (0 before any setWeight). */
    public int weightBefore(int stepIndex) {
        int weight = 0;
        for (int i = 0; i < stepIndex && i < steps.size(); i++) {
            if (steps.get(i) instanceof Step.SetWeight setWeight) {
                weight = setWeight.percent();
            }
        }
        return weight;
    }

    /** The definition a step names; present for every analysis step, by construction. */
    public AnalysisSpec analysis(String name) {
        AnalysisSpec spec = analyses.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no analysis " + name);
        }
        return spec;
    }

    /**
     * sha256 (hex) of a canonical text of the image, the steps, the analyses the steps use and the progress
     * deadline. Stable across processes and Java versions; analyses defined but unused do not count.
     */
    public String hash() {
        StringBuilder canonical = new StringBuilder("v1\n").append(image).append('\n');
        if (blueGreen) {
            canonical.append("blueGreen\n");
        }
        for (Step step : steps) {
            canonical.append(step.canonical()).append('\n');
        }
        TreeSet<String> used = new TreeSet<>();
        for (Step step : steps) {
            if (step instanceof Step.Analysis analysis) {
                used.add(analysis.name());
            }
        }
        for (String name : used) {
            canonical.append(analyses.get(name).canonical()).append('\n');
        }
        canonical.append(progressDeadline.getSeconds());
        return Digest.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** The digest of {@link #image()}, e.g. {@code sha256:…}. */
    public Digest digest() {
        return Digest.parse(image.substring(image.indexOf('@') + 1), "image");
    }

    private static void checkImage(String image) {
        String accepted = "REPO@sha256:<64 hex> (a digest-pinned image)";
        if (image == null || image.isBlank()) {
            throw new InvalidInputException("image", "is empty", accepted);
        }
        int at = image.indexOf('@');
        if (at <= 0) {
            throw new InvalidInputException("image", "\"" + image + "\" has no digest", accepted);
        }
        Digest.parse(image.substring(at + 1), "image");
    }

    private static List<Step> checkSteps(List<Step> steps, Map<String, AnalysisSpec> analyses) {
        int lastWeight = 0;
        int lastWeightIndex = -1;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step == null) {
                throw new InvalidInputException("steps[" + i + "]", "is empty", PlanParser.STEP_FORM);
            }
            if (step instanceof Step.SetWeight setWeight) {
                if (setWeight.percent() < lastWeight) {
                    throw new InvalidInputException("steps[" + i + "].setWeight",
                            setWeight.percent() + " is lower than " + lastWeight + " at steps[" + lastWeightIndex + "]",
                            "weights that never decrease");
                }
                lastWeight = setWeight.percent();
                lastWeightIndex = i;
            } else if (step instanceof Step.Analysis analysis && !analyses.containsKey(analysis.name())) {
                throw new InvalidInputException("steps[" + i + "].analysis",
                        "\"" + analysis.name() + "\" is not defined",
                        analyses.isEmpty() ? "an analysis defined under analysis: [" + analysis.name() + ": [...]]"
                                : "one of " + String.join(", ", new TreeSet<>(analyses.keySet())));
            }
        }
        return steps;
    }

    /**
     * {@code setWeight: 0}, the gate, {@code setWeight: 100}. A leading {@code setWeight: 0} and a trailing
     * {@code setWeight: 100} in {@code given} are the shape's own and kept; any other weight is refused.
     */
    private static List<Step> blueGreenShape(List<Step> given) {
        int from = !given.isEmpty() && given.get(0) instanceof Step.SetWeight first && first.percent() == 0 ? 1 : 0;
        int to = given.size() > from && given.get(given.size() - 1) instanceof Step.SetWeight last && last.percent() == 100
                ? given.size() - 1 : given.size();
        List<Step> shaped = new ArrayList<>();
        shaped.add(new Step.SetWeight(0));
        for (int i = from; i < to; i++) {
            if (given.get(i) instanceof Step.SetWeight weight) {
                throw new InvalidInputException("steps[" + i + "].setWeight", weight.percent() + " is not a blue/green step:"
                        + " blueGreen sets the weights itself (the preview at 0%, then 100% at once)", GATE_FORM);
            }
            shaped.add(given.get(i));
        }
        if (shaped.size() == 1) {
            shaped.add(Step.Pause.manual());
        }
        shaped.add(new Step.SetWeight(100));
        return List.copyOf(shaped);
    }

    private static List<Step> withFinalWeight(List<Step> steps) {
        List<Step> result = new ArrayList<>(steps);
        boolean reaches100 = steps.stream().anyMatch(s -> s instanceof Step.SetWeight w && w.percent() == 100);
        if (!reaches100) {
            result.add(new Step.SetWeight(100));
        }
        return List.copyOf(result);
    }
}
