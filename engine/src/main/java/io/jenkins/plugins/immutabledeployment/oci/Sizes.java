package io.jenkins.plugins.immutabledeployment.oci;

import java.time.Duration;
import java.util.Locale;

/** Byte counts for people: {@code 512 B}, {@code 3.2 MiB}, {@code 1.0 GiB}. */
final class Sizes {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private Sizes() {}

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** A wait for people: {@code 250 ms}, {@code 1.5 s}. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
