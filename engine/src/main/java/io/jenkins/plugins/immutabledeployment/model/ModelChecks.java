package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.List;

/** The few invariants the view model enforces when it is built or parsed. */
final class ModelChecks {

    private ModelChecks() {}

    static String required(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field, "is missing", "a non-empty string");
        }
        return value;
    }

    static <T> T required(T value, String field, String acceptedForm) {
        if (value == null) {
            throw new InvalidInputException(field, "is missing", acceptedForm);
        }
        return value;
    }

    /** A digest is shown to be copied and pasted: it must be a real one. */
    static String digest(String value, String field) {
        return value == null ? null : Digest.parse(value, field).toString();
    }

    static Integer weight(Integer value, String field) {
        if (value != null && (value < 0 || value > 100)) {
            throw new InvalidInputException(field, value + " is out of range", "a percentage from 0 to 100");
        }
        return value;
    }

    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
