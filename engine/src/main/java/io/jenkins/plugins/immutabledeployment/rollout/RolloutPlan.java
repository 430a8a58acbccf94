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
 */
public record RolloutPlan(String image, List<Step> steps, Map<String, AnalysisSpec> analyses, Duration progressDeadline) {

    /** As Kubernetes' own {@code progressDeadlineSeconds} default. */
    public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);

    public RolloutPlan {
        checkImage(image);
        analyses = Collections.unmodifiableMap(new LinkedHashMap<>(analyses == null ? Map.of() : analyses));
        steps = withFinalWeight(checkSteps(steps == null ? List.of() : steps, analyses));
        progressDeadline = progressDeadline == null ? DEFAULT_PROGRESS_DEADLINE : progressDeadline;
        if (progressDeadline.isZero() || progressDeadline.isNegative()) {
            throw new InvalidInputException("progressDeadline", "must be longer than 0s", Durations.ACCEPTED_FORM);
        }
    }

    public static RolloutPlan of(String image, List<Step> steps, Map<String, AnalysisSpec> analyses) {
        return new RolloutPlan(image, steps, analyses, null);
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

    private static List<Step> withFinalWeight(List<Step> steps) {
        List<Step> result = new ArrayList<>(steps);
        boolean reaches100 = steps.stream().anyMatch(s -> s instanceof Step.SetWeight w && w.percent() == 100);
        if (!reaches100) {
            result.add(new Step.SetWeight(100));
        }
        return List.copyOf(result);
    }
}
