package io.jenkins.plugins.immutabledeployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.immutabledeployment.oci.AuthFile;
import io.jenkins.plugins.immutabledeployment.rollout.AnalysisSpecParser;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are missing or not JSON, and network failures, are told in words, never as Java class names. */
class ProblemsTest {

    @TempDir
    Path dir;

    @Test
    void missingFilesAndBrokenJsonAreToldInWordsWithoutQuotingTheFile() throws IOException {
        Path truncated = Files.writeString(dir.resolve("auth.json"), "{\"auths\": {\"r.io\": {\"auth\": \"c2VjcmV0");

        Throwable missing = catchThrowable(() -> AnalysisSpecParser.fromJson(dir.resolve("nope.json"), "analysis"));
        Throwable broken = catchThrowable(() -> AuthFile.read(truncated, "auth-file"));

        assertThat(missing).hasMessageContaining("cannot read " + dir.resolve("nope.json") + " (no such file)")
                .hasMessageNotContaining("Exception");
        assertThat(broken).hasMessageContaining("as a JSON auth file (not valid JSON (line 1, column ")
                .hasMessageNotContaining("Exception").hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void networkFailuresAreToldInWords() {
        assertThat(Problems.describe(new IOException(new UnresolvedAddressException()))).isEqualTo("unknown host");
        assertThat(Problems.describe(new ConnectException())).isEqualTo("connection refused");
        assertThat(Problems.describe(new IOException("something else"))).isEqualTo("something else");
    }
}
