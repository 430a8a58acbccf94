package io.jenkins.plugins.immutabledeployment.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a run prints at its end: one JSON object on standard output (the result or the failure) and, for a
 * failure, one line on standard error. Only the first end is printed, so that Ctrl-C, which runs on a thread of
 * its own while the command may be finishing, never adds a second JSON object. An end is printed under this
 * object's lock: the JVM halts as soon as the Ctrl-C hook returns, so the hook waits for an end another thread is
 * printing rather than cut it off.
 */
final class Output {

    private final PrintWriter out;
    private final PrintWriter err;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String command = "immutable-deploy";
    private volatile Runnable onInterrupt;

    Output(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /** The run has ended (whatever it printed): Ctrl-C from now on interrupts nothing. */
    void end() {
        ended.set(true);
    }

    /** The command running now, as typed ({@code push}, {@code rollout promote}), for messages. */
    void running(String name) {
        command = name;
    }

    String command() {
        return command;
    }

    /** Prints the result, unless the run has already ended. */
    synchronized void result(Object value) {
        if (ended.compareAndSet(false, true)) {
            out.println(JsonCommand.toJson(value));
            out.flush();
        }
    }

    /** Prints the failure on both streams, unless the run has already ended; returns its exit code. */
    synchronized int failure(Failure failure) {
        if (ended.compareAndSet(false, true)) {
            err.println("error: " + failure.message());
            err.flush();
            out.println(JsonCommand.toJson(failure.json()));
            out.flush();
        }
        return failure.exitCode();
    }

    /**
     * What the running command does on Ctrl-C before the run ends ({@code rollout} aborts the rollout and prints
     * its result), or {@code null}.
     */
    void onInterrupt(Runnable action) {
        onInterrupt = action;
    }

    /** Ctrl-C (SIGINT) while the command ran: the JVM exits with 130 after this. */
    void interrupted() {
        Runnable action = onInterrupt;
        if (action != null && !ended.get()) {
            action.run();
        }
        failure(new Failure(ExitCodes.INTERRUPTED, "interrupted", null, "interrupted (Ctrl-C): " + command
                + " stopped before it finished", null));
    }
}
