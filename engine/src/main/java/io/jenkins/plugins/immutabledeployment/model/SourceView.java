package io.jenkins.plugins.immutabledeployment.model;

/**
 * A source revision the image was built from.
 *
 * @param repository the SCM repository as the build knew it (a clone URL or a name)
 * @param commit the full commit id
 * @param url a page showing that commit, or {@code null}; the UI links it only if it is http(s)
 */
public record SourceView(String repository, String commit, String url) {

    public SourceView {
        ModelChecks.required(repository, "provenance.sources.repository");
        ModelChecks.required(commit, "provenance.sources.commit");
    }
}
