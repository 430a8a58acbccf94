package io.jenkins.plugins.immutabledeployment.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A pushgateway and a Prometheus scraping it, ready for pushes ({@code up == 1} already seen). Starting one costs
 * ~6 s (Prometheus applies scrape targets on a 5 s tick), so the stack is a JUnit extension that starts it once
 * per test run and stops it at the end: declare {@code @ExtendWith(PrometheusStackExtension.class)} and take a
 * {@code PrometheusStack} parameter.
 */
public final class PrometheusStack implements AutoCloseable {

    private final Path dir;
    private final Pushgateway pushgateway;
    private final PrometheusServer prometheus;

    private PrometheusStack(Path dir, Pushgateway pushgateway, PrometheusServer prometheus) {
        this.dir = dir;
        this.pushgateway = pushgateway;
        this.prometheus = prometheus;
    }

    public static PrometheusStack start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("prometheus-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pushgateway pushgateway = Pushgateway.start(dir);
        PrometheusServer prometheus;
        try {
            prometheus = PrometheusServer.start(dir.resolve("prometheus"), List.of(pushgateway.target()));
            prometheus.awaitTargetUp("pushgateway", Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            pushgateway.close();
            throw e;
        }
        return new PrometheusStack(dir, pushgateway, prometheus);
    }

    public Pushgateway pushgateway() {
        return pushgateway;
    }

    public PrometheusServer prometheus() {
        return prometheus;
    }

    /** Pushes {@code exposition} as job {@code job} and waits until Prometheus serves {@code query} == {@code expected}. */
    public void pushAndAwait(String job, String exposition, String query, String expected) {
        pushgateway.push(job, exposition);
        prometheus.awaitValue(query, expected, Duration.ofSeconds(15));
    }

    @Override
    public void close() {
        prometheus.close();
        pushgateway.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is not worth failing the run over.
        }
    }
}
