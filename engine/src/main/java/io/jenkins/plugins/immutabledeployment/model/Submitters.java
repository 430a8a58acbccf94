package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may approve or reject a promotion: user ids and group names. A viewer may decide when their user id or one
 * of their groups is named <em>and</em> they have the job's Build permission; both conditions, always.
 *
 * @param names as written, trimmed, in order
 */
public record Submitters(List<String> names) {

    public static final String ACCEPTED_FORM = "user ids and group names separated by commas, e.g. alice,release-managers";

    public Submitters {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new InvalidInputException("approval.submitters", "names nobody", ACCEPTED_FORM);
        }
    }

    /** {@code "alice, release-managers"}; empty entries are skipped, but at least one name is needed. */
    public static Submitters parse(String text, String field) {
        List<String> names = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                String name = part.strip();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        if (names.isEmpty()) {
            throw new InvalidInputException(field, text == null || text.isBlank() ? "is empty" : "names nobody", ACCEPTED_FORM);
        }
        return new Submitters(names);
    }

    public boolean permits(Viewer viewer) {
        if (!viewer.mayBuild() || viewer.userId() == null) {
            return false;
        }
        for (String name : names) {
            if (viewer.userIds().same(viewer.userId(), name)) {
                return true;
            }
            for (String group : viewer.groups()) {
                if (viewer.groupIds().same(group, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(", ", names);
    }
}
