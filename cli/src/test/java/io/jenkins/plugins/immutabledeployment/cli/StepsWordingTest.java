package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad {@code --steps} is told in the command line's words: step N counted from 1, the text form of steps. */
class StepsWordingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            50,10           | steps: step 2: 10 is lower than 50 at step 1; expected weights that never decrease
            10,foo:1        | steps: step 2: "foo" is not a step; expected N (a weight 0..100), pause:DURATION, pause:manual or analysis:NAME
            10,pause:xx     | steps: step 2: "xx" is neither 'manual' nor a duration
            analysis:errors | steps: step 1: "errors" is not defined; expected an analysis defined in --analysis FILE.json
            """)
    void saysStepNAndTheTextFormWithoutThePipelinesWords(String steps, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = ImmutableDeploy.run(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "rollout", "--image", "r.io/a@sha256:" + "a".repeat(64),
                "--deployment", "api", "--namespace", "shop", "--steps", steps);

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: " + message).doesNotContain("setWeight");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"field\":\"steps\"");
    }
}
