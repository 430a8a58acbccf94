package io.jenkins.plugins.immutabledeployment.rollout;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them in steps and analysis definitions: hours, minutes and seconds in that order,
 * each part optional but at least one present ({@code 30s}, {@code 2m}, {@code 1h}, {@code 1h30m},
 * {@code 1m30s}).
 */
public final class Durations {

    public static final String ACCEPTED_FORM = "a duration like 30s, 2m, 1h or 1h30m";

    private static final Pattern FORM = Pattern.compile("(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,9})s)?");

    private Durations() {}

    /** Parses {@code text}; {@code field} names the input in the error message. */
    public static Duration parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is empty", ACCEPTED_FORM);
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null)) {
            throw new InvalidInputException(field, "\"" + text + "\" is not a duration", ACCEPTED_FORM);
        }
        return Duration.ofHours(part(m, 1)).plusMinutes(part(m, 2)).plusSeconds(part(m, 3));
    }

    /** The same short form {@link #parse} accepts, e.g. {@code 1h30m}; {@code 0s} for zero. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        append(text, seconds / 3600, 'h');
        append(text, seconds % 3600 / 60, 'm');
        append(text, seconds % 60, 's');
        return text.toString();
    }

    private static long part(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }

    private static void append(StringBuilder text, long amount, char unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }
}
