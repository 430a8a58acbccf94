package io.jenkins.plugins.immutabledeployment.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A server binary started by a test on a loopback port, its output in a log file, stopped on close. Shared by the
 * Prometheus and pushgateway launchers.
 */
final class LoopbackProcess implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    final int port;

    private LoopbackProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code command} (built for the given free port) and waits until {@code readyPath} answers 200. */
    static LoopbackProcess start(String name, Path dir, java.util.function.IntFunction<List<String>> command, String scheme,
            String readyPath, HttpClient client) {
        int port = freePort();
        Path log = dir.resolve(name + ".log");
        Process process;
        try {
            process = new ProcessBuilder(command.apply(port)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (is the Debian package installed?)", e);
        }
        LoopbackProcess started = new LoopbackProcess(process, log, port);
        URI ready = URI.create(scheme + "://127.0.0.1:" + port + readyPath);
        try {
            poll(name + " ready at " + ready, Duration.ofSeconds(20), () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited: " + started.logText());
                }
                return status(client, ready) == 200;
            });
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** Polls {@code condition} every 50 ms until it holds, failing after {@code timeout}. */
    static void poll(String what, Duration timeout, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                // Polling interval between checks of a condition with a deadline, not a wait for an event.
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private static int status(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
