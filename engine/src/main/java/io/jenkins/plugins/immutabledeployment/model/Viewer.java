package io.jenkins.plugins.immutabledeployment.model;

import java.util.List;
import java.util.Objects;

/**
 * The person a model document is made for, as far as the actions they may take depend on it.
 *
 * @param userId their user id, or {@code null} when anonymous
 * @param groups the groups (authorities) they belong to
 * @param mayBuild whether they have the job's Build permission
 * @param userIds how user ids compare in this Jenkins (its security realm decides, usually ignoring case)
 * @param groupIds how group names compare
 */
public record Viewer(String userId, List<String> groups, boolean mayBuild, NameMatch userIds, NameMatch groupIds) {

    /** Nobody: may not act on anything. */
    public static final Viewer ANONYMOUS = new Viewer(null, List.of(), false, NameMatch.EXACT, NameMatch.EXACT);

    public Viewer {
        groups = groups == null ? List.of() : List.copyOf(groups);
        Objects.requireNonNull(userIds, "userIds");
        Objects.requireNonNull(groupIds, "groupIds");
    }

    /** Whether two names denote the same user (or group). */
    @FunctionalInterface
    public interface NameMatch {
        NameMatch EXACT = String::equals;
        NameMatch IGNORE_CASE = String::equalsIgnoreCase;

        boolean same(String a, String b);
    }
}
