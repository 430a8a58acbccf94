package io.jenkins.plugins.immutabledeployment.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program (skopeo, umoci, openssl, …) to completion, failing loudly with its output. */
public final class Command {

    /** What a finished program said. */
    public record Result(int exitCode, String stdout, String stderr) {}

    private Command() {}

    /** Runs and requires exit code 0; returns stdout. */
    public static String run(List<String> command) {
        Result result = exec(command, Duration.ofMinutes(2));
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + result.exitCode()
                    + ":\n" + result.stderr() + result.stdout());
        }
        return result.stdout();
    }

    public static Result exec(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("cmd-", ".out");
            Path err = Files.createTempFile("cmd-", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
