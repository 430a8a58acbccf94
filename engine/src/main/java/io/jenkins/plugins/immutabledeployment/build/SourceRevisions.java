package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The source commit a build checked out, as the Git checkout reports it in the environment: {@code GIT_COMMIT},
 * {@code GIT_URL} (or {@code GIT_URL_1} when there are several remotes) and the branch or tag that resolved to it.
 * Declarative Pipelines have these variables after their checkout; a scripted Pipeline gets them from the map
 * {@code checkout} returns (e.g. {@code withEnv(checkout(scm).collect { k, v -> "$k=$v" })}). A build of a
 * multibranch project also knows the revision it was scheduled for ({@link #fromScm}), which wins where the two
 * agree on the repository.
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

    /**
     * The revision a multibranch project scheduled the build for (scm-api's {@code SCMRevisionAction}), with the
     * repository from the checkout's {@code GIT_URL}. Falls back to {@link #fromEnvironment} when there is no such
     * revision, when it is not a single commit (e.g. a change request merged onto its target, {@code A+B}), or when
     * the last checkout ({@code GIT_COMMIT}) is another commit (then {@code GIT_URL} is that checkout's repository).
     *
     * @param revision the revision as the SCM prints it (a Git commit id), or {@code null}
     * @param head the branch or tag it was found on, or {@code null} (a change request)
     * @param env the build's environment
     */
    public static SourceRevisions fromScm(String revision, ScmHead head, Map<String, String> env) {
        String commit = revision == null ? null : revision.strip().toLowerCase(Locale.ROOT);
        if (commit == null || !SourceCommit.isCommitId(commit)) {
            return fromEnvironment(env);
        }
        String checkedOut = value(env, "GIT_COMMIT");
        if (checkedOut != null && !checkedOut.equalsIgnoreCase(commit)) {
            SourceRevisions checkout = fromEnvironment(env);
            return new SourceRevisions(checkout.commits(), "the last checkout (GIT_COMMIT " + checkedOut + ") is not the revision "
                    + commit + " the build was scheduled for; " + (checkout.commits().isEmpty() ? checkout.note() : "the provenance names the checkout"));
        }
        String url = value(env, "GIT_URL") != null ? value(env, "GIT_URL") : value(env, "GIT_URL_1");
        if (url == null) {
            return new SourceRevisions(List.of(), "the build's revision " + commit + " names no repository (GIT_URL is not set:"
                    + " check out before immutableBuild), so the provenance names no source commit");
        }
        try {
            return new SourceRevisions(List.of(new SourceCommit(url, commit, head == null ? ref(env) : head.ref())), null);
        } catch (InvalidInputException e) {
            return new SourceRevisions(List.of(), "the build's revision does not name a commit (" + e.getMessage()
                    + "), so the provenance names no source commit");
        }
    }

    /** Where an SCM found a revision: a branch or a tag of that name. */
    public record ScmHead(String name, boolean tag) {
        String ref() {
            return (tag ? "refs/tags/" : "refs/heads/") + name;
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
