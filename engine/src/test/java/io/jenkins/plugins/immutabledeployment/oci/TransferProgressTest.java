package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferProgressTest {

    private static final Digest DIGEST = Digest.sha256(new byte[] {1});

    /** A clock that moves on by {@code step} each time it is read. */
    private static Clock ticking(Duration step) {
        return new Clock() {
            private Instant now = Instant.parse("2026-01-01T00:00:00Z");

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                Instant current = now;
                now = now.plus(step);
                return current;
            }
        };
    }

    private static List<String> send(int size, int chunk, Clock clock) throws IOException {
        List<String> lines = new ArrayList<>();
        try (InputStream in = new TransferProgress(new ByteArrayInputStream(new byte[size]), DIGEST, size, lines::add,
                clock)) {
            byte[] buffer = new byte[chunk];
            while (in.read(buffer) > 0) {
                // drained
            }
        }
        return lines;
    }

    @Test
    void slowTransferReportsEachTenthWithBytesPercentAndRate() throws IOException {
        List<String> lines = send(1000, 10, ticking(Duration.ofSeconds(2)));

        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).isEqualTo("  " + DIGEST.shortHex() + ": 100 B of 1000 B (10 %), 50 B/s");
        assertThat(lines.get(9)).contains("1000 B of 1000 B (100 %)");
    }

    @Test
    void reportsAtMostOneLineEveryTwoSeconds() throws IOException {
        List<String> lines = send(1000, 10, ticking(Duration.ofMillis(500)));

        // 100 reads, a clock reading each half a second: a line at most every 2 s, i.e. every 4th read past a tenth.
        assertThat(lines).hasSizeBetween(9, 10);
    }

    @Test
    void fastTransferReportsNothing() throws IOException {
        assertThat(send(1 << 20, 1 << 16, ticking(Duration.ofMillis(1)))).isEmpty();
    }
}
