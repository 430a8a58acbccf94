package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A source revision a build checked out, recorded in {@code resolvedDependencies} the way SLSA's examples do:
 * {@code {"uri": "git+https://host/org/repo@refs/heads/main", "digest": {"gitCommit": "<sha>"}}}.
 *
 * @param repository the repository URI; user information (credentials) is removed
 * @param commit the full commit id, 40 (SHA-1) or 64 (SHA-256) hex characters
 * @param ref the branch or tag that resolved to the commit, e.g. {@code refs/heads/main}; may be {@code null}
 */
public record SourceCommit(String repository, String commit, String ref) {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    public SourceCommit {
        repository = Uris.gitRepository(repository, "sourceCommit.repository");
        commit = commit == null ? "" : commit.strip().toLowerCase(Locale.ROOT);
        if (!COMMIT.matcher(commit).matches()) {
            throw new InvalidInputException(
                    "sourceCommit.commit", "\"" + commit + "\" is not a full commit id", "40 or 64 hex characters");
        }
        if (ref != null && (ref.isBlank() || ref.chars().anyMatch(c -> Character.isWhitespace(c) || c == '@'))) {
            throw new InvalidInputException(
                    "sourceCommit.ref", "\"" + ref + "\" is not a git ref", "e.g. refs/heads/main, without spaces or '@'");
        }
    }

    /** Whether {@code text} is a full commit id (40 or 64 lower-case hex characters). */
    public static boolean isCommitId(String text) {
        return text != null && COMMIT.matcher(text).matches();
    }

    public ResourceDescriptor toResourceDescriptor() {
        String uri = (repository.startsWith("git+") ? "" : "git+") + repository + (ref == null ? "" : "@" + ref);
        return new ResourceDescriptor(null, uri, Map.of("gitCommit", commit), null, null, null);
    }
}
