package io.jenkins.plugins.immutabledeployment.metrics;

import io.jenkins.plugins.immutabledeployment.rollout.Action;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisSpec;
import io.jenkins.plugins.immutabledeployment.rollout.Measurement;
import io.jenkins.plugins.immutabledeployment.rollout.MeasurementTaken;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Takes one measurement of an analysis: runs its query and judges the answer. A failed query is an
 * {@code Error} measurement (retried by the planner, counted against consecutiveErrorLimit); an empty or NaN
 * answer is {@code Inconclusive}; otherwise {@code failIf} / {@code successIf} decide. Scheduling is not done
 * here: the planner says when ({@link Action.RunMeasurement}), the runner calls {@link #take}.
 */
public final class AnalysisMeasurer {

    private final Function<URI, PrometheusClient> clients;

    public AnalysisMeasurer(Function<URI, PrometheusClient> clients) {
        this.clients = clients;
    }

    /** A measurer with one client per Prometheus address, all with {@code options}. */
    public static AnalysisMeasurer withOptions(PrometheusOptions options) {
        Map<URI, PrometheusClient> cache = new ConcurrentHashMap<>();
        return new AnalysisMeasurer(address -> cache.computeIfAbsent(address, a -> new PrometheusClient(a, options)));
    }

    /** Measures {@code spec} now; {@code takenAt} is the runner's clock reading, recorded with the measurement. */
    public Measurement measure(AnalysisSpec spec, Instant takenAt) {
        return measureAsync(spec, takenAt).join();
    }

    /** {@link #measure} without waiting for Prometheus: the future completes with the measurement, never exceptionally. */
    public CompletableFuture<Measurement> measureAsync(AnalysisSpec spec, Instant takenAt) {
        return clients.apply(spec.prometheus()).queryAsync(spec.query(), null, spec.timeout()).thenApply(result -> {
            if (result instanceof QueryResult.Failure failure) {
                return Measurement.error(takenAt, "query failed (" + failure.kind() + "): " + failure.message());
            }
            return spec.judge(takenAt, ((QueryResult.Data) result).values());
        });
    }

    /** Carries out {@code request} for {@code plan}, ready to hand to the planner in the next observation. */
    public MeasurementTaken take(Action.RunMeasurement request, RolloutPlan plan, Instant takenAt) {
        return takeAsync(request, plan, takenAt).join();
    }

    /** {@link #take} without waiting: what the rollout runner uses, so that no thread waits for Prometheus. */
    public CompletableFuture<MeasurementTaken> takeAsync(Action.RunMeasurement request, RolloutPlan plan, Instant takenAt) {
        return measureAsync(plan.analysis(request.analysis()), takenAt).thenApply(measurement -> new MeasurementTaken(request, measurement));
    }
}
