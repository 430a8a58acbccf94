package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Progress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Reports how a blob's bytes are sent, as plain lines for a log: {@code   9f86d081884c: 120.0 MiB of 1.0 GiB (11 %),
 * 48.2 MiB/s}. A line once the transfer has gone at least another 10 % since the last one, and at most one line
 * every {@link #INTERVAL}, so a fast upload prints little and a slow one shows it is alive.
 */
final class TransferProgress extends FilterInputStream {

    static final Duration INTERVAL = Duration.ofSeconds(2);

    private final Digest digest;
    private final long size;
    private final Progress progress;
    private final Clock clock;
    private final Instant start;
    private Instant lastReport;
    private long sent;
    private long lastTenth;

    TransferProgress(InputStream in, Digest digest, long size, Progress progress, Clock clock) {
        super(in);
        this.digest = digest;
        this.size = size;
        this.progress = progress;
        this.clock = clock;
        this.start = clock.instant();
        this.lastReport = start;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    private void advance(int n) {
        sent += n;
        if (size <= 0) {
            return;
        }
        long tenth = sent * 10 / size;
        if (tenth <= lastTenth) {
            return;
        }
        Instant now = clock.instant();
        if (Duration.between(lastReport, now).compareTo(INTERVAL) < 0) {
            return;
        }
        lastTenth = tenth;
        lastReport = now;
        long millis = Math.max(1, Duration.between(start, now).toMillis());
        progress.report("  " + digest.shortHex() + ": " + Sizes.human(sent) + " of " + Sizes.human(size) + " ("
                + sent * 100 / size + " %), " + Sizes.human(sent * 1000 / millis) + "/s");
    }
}
