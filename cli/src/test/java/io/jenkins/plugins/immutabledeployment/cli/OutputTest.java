package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The run's end is printed once and whole. The Ctrl-C hook is the JVM's last word: when it returns the process
 * halts, so it must not return while another thread is still printing the end.
 */
class OutputTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Output output = new Output(new PrintWriter(out), new PrintWriter(err));

    @Test
    void ctrlCWaitsForAResultAnotherThreadIsPrinting() throws Exception {
        SlowResult slow = new SlowResult();
        Thread main = new Thread(() -> output.result(slow), "main");
        main.start();
        assertThat(slow.serializing.await(30, TimeUnit.SECONDS)).as("the result is being printed").isTrue();

        Thread hook = new Thread(output::interrupted, "ctrl-c");
        hook.start();
        Thread.State seen = awaitBlockedOrTerminated(hook);
        slow.release.countDown();
        main.join(30_000);
        hook.join(30_000);

        assertThat(seen).as("the Ctrl-C hook while the result was half printed (it returned: the JVM would halt)")
                .isEqualTo(Thread.State.BLOCKED);
        assertThat(out.toString()).as("one JSON object, the result").isEqualTo("{\"phase\":\"Aborted\"}" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void ctrlCWithNothingPrintedPrintsTheInterruption() {
        output.running("rollout");

        output.interrupted();
        output.result(new Object());

        assertThat(out.toString()).contains("\"interrupted\"").doesNotContain("Aborted").hasLineCount(1);
        assertThat(err.toString()).contains("interrupted (Ctrl-C): rollout stopped before it finished");
    }

    private static Thread.State awaitBlockedOrTerminated(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if (state == Thread.State.BLOCKED || state == Thread.State.TERMINATED) {
                return state;
            }
            Thread.onSpinWait();
        }
        return thread.getState();
    }

    /** A result whose serialization waits, as a first serialization of a class does while Jackson builds it. */
    public static final class SlowResult {

        final CountDownLatch serializing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public String getPhase() throws InterruptedException {
            serializing.countDown();
            release.await(30, TimeUnit.SECONDS);
            return "Aborted";
        }
    }
}
