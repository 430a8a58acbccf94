package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.Locale;

/** Whether a push or copy may move a tag that already points at another digest. */
public enum TagPolicy {
    /** A tag that points at a different digest is an error, found before anything is written. The default. */
    IMMUTABLE,
    /** The tag is moved to the new digest. */
    OVERWRITE;

    public static TagPolicy parse(String text, String field) {
        if (text != null) {
            for (TagPolicy policy : values()) {
                if (policy.name().equalsIgnoreCase(text.trim())) {
                    return policy;
                }
            }
        }
        throw new InvalidInputException(field, "\"" + text + "\" is not a tag policy", "immutable or overwrite");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
