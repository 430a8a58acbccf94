package io.jenkins.plugins.immutabledeployment.rollout;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An analysis definition (Argo Rollouts' AnalysisTemplate with one Prometheus metric): the query, how a value
 * is judged, and how many measurements decide.
 *
 * <ul>
 *   <li>{@code count} measurements are taken, the first {@code initialDelay} after the analysis step starts,
 *       each next one {@code interval} after the previous (errors are retried after {@code interval} too).
 *   <li>More than {@code failureLimit} failed measurements: the analysis failed, the rollout aborts.
 *   <li>More than {@code inconclusiveLimit} inconclusive measurements: the analysis is inconclusive, the
 *       rollout pauses for a person to promote or abort.
 *   <li>More than {@code consecutiveErrorLimit} errors in a row: the analysis errored, the rollout aborts.
 *   <li>{@code count} conclusive measurements within those limits, at least one of them successful: the analysis
 *       passed. (Argo Rollouts would pass a run whose measurements were all failed or inconclusive within their
 *       limits; here such a run is inconclusive.)
 * </ul>
 *
 * No secrets here: a bearer token for Prometheus comes from the caller's credentials, never from a plan.
 */
public record AnalysisSpec(
        String name,
        URI prometheus,
        String query,
        Condition failIf,
        Condition successIf,
        Duration interval,
        int count,
        int failureLimit,
        int inconclusiveLimit,
        int consecutiveErrorLimit,
        Duration initialDelay,
        Duration timeout) {

    public static final int DEFAULT_COUNT = 1;
    public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** How soon an errored measurement is retried when the analysis has no {@code interval} (Argo's default). */
    public static final Duration DEFAULT_ERROR_RETRY = Duration.ofSeconds(10);

    public AnalysisSpec {
        Objects.requireNonNull(name, "name");
        String field = "analysis." + name;
        checkAddress(prometheus, field + ".prometheus");
        if (query == null || query.isBlank()) {
            throw new InvalidInputException(field + ".query", "is empty", "a PromQL expression");
        }
        if (failIf == null && successIf == null) {
            throw new InvalidInputException(
                    field, "has neither failIf nor successIf", "at least one condition, e.g. failIf: '> 0.5'");
        }
        if (count < 1) {
            throw new InvalidInputException(field + ".count", count + " is less than 1", "a whole number of 1 or more");
        }
        if (interval == null && count > 1) {
            throw new InvalidInputException(
                    field + ".interval", "is missing but count is " + count, "an interval such as 30s when count > 1");
        }
        if (interval != null && interval.isZero()) {
            throw new InvalidInputException(field + ".interval", "is zero", Durations.ACCEPTED_FORM + " greater than 0s");
        }
        checkLimit(failureLimit, count, field + ".failureLimit", "would never fail");
        checkLimit(inconclusiveLimit, count, field + ".inconclusiveLimit", "would never be inconclusive");
        if (consecutiveErrorLimit < 0) {
            throw new InvalidInputException(
                    field + ".consecutiveErrorLimit", consecutiveErrorLimit + " is negative", "a whole number of 0 or more");
        }
        initialDelay = initialDelay == null ? Duration.ZERO : initialDelay;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isZero()) {
            throw new InvalidInputException(field + ".timeout", "is zero", Durations.ACCEPTED_FORM + " greater than 0s");
        }
    }

    static void checkAddress(URI address, String field) {
        String accepted = "an http or https URL such as http://prometheus:9090";
        if (address == null) {
            throw new InvalidInputException(field, "is missing", accepted);
        }
        if (address.getRawUserInfo() != null) {
            // Never echo the address: it holds credentials.
            throw new InvalidInputException(
                    field, "contains credentials", accepted + " without user:password (give a bearer token as a credential)");
        }
        if (!("http".equals(address.getScheme()) || "https".equals(address.getScheme())) || address.getHost() == null) {
            throw new InvalidInputException(field, "\"" + address + "\" is not an http(s) URL with a host", accepted);
        }
    }

    private static void checkLimit(int limit, int count, String field, String consequence) {
        if (limit < 0) {
            throw new InvalidInputException(field, limit + " is negative", "a whole number of 0 or more");
        }
        if (limit >= count) {
            throw new InvalidInputException(
                    field, limit + " is not less than count " + count + ": the analysis " + consequence,
                    "a limit below count");
        }
    }

    /** When the measurement after one taken at {@code lastTakenAt} is due. */
    public Instant nextAfter(Instant lastTakenAt) {
        return lastTakenAt.plus(interval != null ? interval : DEFAULT_ERROR_RETRY);
    }

    /**
     * Judges the values one query returned (one per series; a scalar is one value). With several series,
     * {@code failIf} fails when any value meets it, {@code successIf} succeeds when every value meets it.
     */
    public Measurement judge(Instant takenAt, List<Double> values) {
        if (values.isEmpty()) {
            return new Measurement(takenAt, MeasurementOutcome.INCONCLUSIVE, null, "query returned no data");
        }
        String value = format(values);
        if (values.stream().anyMatch(v -> v.isNaN())) {
            return new Measurement(takenAt, MeasurementOutcome.INCONCLUSIVE, value, "query returned NaN");
        }
        if (failIf != null) {
            for (double v : values) {
                if (failIf.test(v)) {
                    return new Measurement(takenAt, MeasurementOutcome.FAILED, value, describe(v, failIf, "failIf"));
                }
            }
        }
        if (successIf != null) {
            for (double v : values) {
                if (!successIf.test(v)) {
                    MeasurementOutcome outcome = failIf == null ? MeasurementOutcome.FAILED : MeasurementOutcome.INCONCLUSIVE;
                    String why = Condition.formatNumber(v) + " does not meet successIf " + successIf
                            + (failIf == null ? "" : " nor failIf " + failIf);
                    return new Measurement(takenAt, outcome, value, why);
                }
            }
            return new Measurement(takenAt, MeasurementOutcome.SUCCESSFUL, value, "meets successIf " + successIf);
        }
        return new Measurement(takenAt, MeasurementOutcome.SUCCESSFUL, value, "does not meet failIf " + failIf);
    }

    /** The fields in a fixed order, for the plan hash. */
    String canonical() {
        return String.join("|", name, prometheus.toString(), query, String.valueOf(failIf), String.valueOf(successIf),
                interval == null ? "-" : Durations.format(interval), Integer.toString(count), Integer.toString(failureLimit),
                Integer.toString(inconclusiveLimit), Integer.toString(consecutiveErrorLimit),
                Durations.format(initialDelay), Durations.format(timeout));
    }

    private static String describe(double value, Condition condition, String which) {
        return Condition.formatNumber(value) + " " + condition + " (" + which + ")";
    }

    private static String format(List<Double> values) {
        if (values.size() == 1) {
            return Condition.formatNumber(values.get(0));
        }
        return values.stream().map(Condition::formatNumber).collect(Collectors.joining(", ", "[", "]"));
    }
}
