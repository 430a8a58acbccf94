package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import java.util.List;
import java.util.Map;

/**
 * The source commit a build checked out, as the Git checkout reports it in the environment: {@code GIT_COMMIT},
 * {@code GIT_URL} (or {@code GIT_URL_1} when there are several remotes) and the branch or tag that resolved to it.
 * Declarative Pipelines have these variables after their checkout; a scripted Pipeline gets them from the map
 * {@code checkout} returns (e.g. {@code withEnv(checkout(scm).collect { k, v -> "$k=$v" })}).
 *
 * @param commits what was found: none or one
 * @param note why nothing was recorded, for the build log; {@code null} when a commit was found
 */
public record SourceRevisions(List<SourceCommit> commits, String note) {

    public SourceRevisions {
        commits = List.copyOf(commits);
    }

    public static SourceRevisions fromEnvironment(Map<String, String> env) {
        String commit = value(env, "GIT_COMMIT");
        String url = value(env, "GIT_URL") != null ? value(env, "GIT_URL") : value(env, "GIT_URL_1");
        if (commit == null || url == null) {
            return new SourceRevisions(List.of(), (commit == null ? "GIT_COMMIT" : "GIT_URL")
                    + " is not set, so the provenance names no source commit");
        }
        try {
            return new SourceRevisions(List.of(new SourceCommit(url, commit, ref(env))), null);
        } catch (InvalidInputException e) {
            return new SourceRevisions(List.of(), "the checkout's variables do not name a commit (" + e.getMessage()
                    + "), so the provenance names no source commit");
        }
    }

    /** {@code TAG_NAME} as a tag; else {@code GIT_LOCAL_BRANCH} or {@code GIT_BRANCH} (without {@code origin/}) as a branch. */
    static String ref(Map<String, String> env) {
        String tag = value(env, "TAG_NAME");
        if (tag != null) {
            return "refs/tags/" + tag;
        }
        String branch = value(env, "GIT_LOCAL_BRANCH") != null ? value(env, "GIT_LOCAL_BRANCH") : value(env, "GIT_BRANCH");
        if (branch == null) {
            return null;
        }
        if (branch.startsWith("refs/")) {
            return branch;
        }
        return "refs/heads/" + (branch.startsWith("origin/") ? branch.substring("origin/".length()) : branch);
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
