package io.jenkins.plugins.immutabledeployment.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shaded CLI running as a process of its own, as a person runs it in a shell: its standard error can be awaited
 * line by line while it runs, and it can be sent a signal.
 */
final class RunningCli implements AutoCloseable {

    private static final Path JAR = Path.of("target", "immutable-deploy.jar");

    private final Process process;
    private final StringBuilder stderr = new StringBuilder();
    private final CompletableFuture<String> stdout;
    private boolean pumpDone; // guarded by stderr

    private RunningCli(Process process) {
        this.process = process;
        this.stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        Thread pump = new Thread(this::pumpStderr, "cli-stderr");
        pump.setDaemon(true);
        pump.start();
    }

    static RunningCli start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** Starts the CLI with {@code environment} changed: a variable set to {@code ""} is removed. */
    static RunningCli start(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        environment.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return new RunningCli(builder.start());
    }

    /** Runs the CLI to its end (at most {@code limit}). */
    static CliRun run(Duration limit, String... args) throws Exception {
        return run(Map.of(), limit, args);
    }

    static CliRun run(Map<String, String> environment, Duration limit, String... args) throws Exception {
        try (RunningCli cli = start(environment, args)) {
            return cli.awaitExit(limit);
        }
    }

    /** Waits until standard error contains {@code text}, failing with what it printed after {@code limit}. */
    void awaitStderr(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (stderr) {
            while (stderr.indexOf(text) < 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || pumpDone) {
                    throw new AssertionError("the CLI did not print \"" + text + "\" within " + limit
                            + (pumpDone ? " (it exited)" : "") + "; stderr so far:\n" + stderr);
                }
                stderr.wait(left);
            }
        }
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -INT " + process.pid() + " failed");
        }
    }

    CliRun awaitExit(Duration limit) throws Exception {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish within " + limit + "; stderr so far:\n" + stderrSoFar());
        }
        String out = stdout.get(10, TimeUnit.SECONDS);
        awaitPumpDone();
        return new CliRun(process.exitValue(), out, stderrSoFar());
    }

    String stderrSoFar() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void pumpStderr() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (stderr) {
                    stderr.append(line).append('\n');
                    stderr.notifyAll();
                }
            }
        } catch (IOException e) {
            // The process was killed; what it printed so far stays.
        } finally {
            synchronized (stderr) {
                pumpDone = true;
                stderr.notifyAll();
            }
        }
    }

    private void awaitPumpDone() throws InterruptedException {
        synchronized (stderr) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!pumpDone) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("the CLI's standard error did not close");
                }
                stderr.wait(left);
            }
        }
    }

    private static String readAll(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
