package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.model.ProvenanceView;
import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the CI system knows about the build that produced an image, as plain facts: the provenance statement and
 * the build page's provenance view are made from it.
 *
 * @param builderId the build platform and job, {@link #builderId(String, String)}
 * @param job the job's full name, e.g. {@code shop/api/main}
 * @param buildUrl the absolute URL of the build
 * @param startedOn when the build started
 * @param parameters the build's parameters, without sensitive ones (passwords never get here)
 * @param agent the agent the image was built on, or {@code null}
 * @param sources the source commits the build checked out
 */
public record BuildContext(
        String builderId, String job, String buildUrl, Instant startedOn, Map<String, String> parameters, String agent,
        List<SourceCommit> sources) {

    public BuildContext {
        Objects.requireNonNull(builderId, "builderId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(buildUrl, "buildUrl");
        parameters = parameters == null ? Map.of() : new LinkedHashMap<>(parameters);
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * The SLSA builder id of a Jenkins job: the Jenkins root URL plus the job's URL.
     *
     * @param jenkinsUrl the configured Jenkins URL, or {@code null} when it is not configured
     * @param jobUrl the job's URL relative to it, e.g. {@code job/shop/job/api/}
     */
    public static String builderId(String jenkinsUrl, String jobUrl) {
        return absolute(jenkinsUrl, jobUrl);
    }

    /** The absolute URL of a build from the Jenkins root URL and the build's relative URL. */
    public static String buildUrl(String jenkinsUrl, String runUrl) {
        return absolute(jenkinsUrl, runUrl);
    }

    /**
     * The provenance facts of an image built (by {@code builder}; {@code null} when taken from an archive) for
     * {@code request}: the step's inputs as external parameters with the build's parameters under
     * {@code parameters}; the agent and the builder as internal parameters.
     */
    public ProvenanceInputs inputs(BuildRequest request, ImageBuilder builder, String pluginVersion) {
        Map<String, Object> external = new LinkedHashMap<>(request.externalParameters());
        if (!parameters.isEmpty()) {
            external.put("parameters", parameters);
        }
        Map<String, Object> internal = new LinkedHashMap<>();
        internal.put("agent", agent);
        internal.put("builder", builder == null ? null : builder.id());
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("immutable-deployment", pluginVersion);
        return ProvenanceInputs.of(builderId, buildUrl, job)
                .withExternalParameters(external)
                .withInternalParameters(internal)
                .withSources(sources)
                .withBuilderVersion(versions)
                .withStartedOn(startedOn);
    }

    /**
     * The build page's view of the provenance attached as {@code attestationDigest}, signed with {@code keyId} or
     * unsigned ({@code signed} false). Never claims verification: that is for whoever checks it later.
     */
    public ProvenanceView view(String attestationDigest, boolean signed, String keyId, Instant finishedOn) {
        ProvenanceView.Builder view = ProvenanceView.newBuilder()
                .builderId(builderId)
                .buildUrl(buildUrl)
                .ran(startedOn, finishedOn)
                .attestationDigest(attestationDigest);
        if (signed) {
            view.signedBy(keyId);
        }
        sources.forEach(s -> view.source(s.repository(), s.commit(), null));
        return view.build();
    }

    private static String absolute(String jenkinsUrl, String relative) {
        if (jenkinsUrl == null || jenkinsUrl.isBlank()) {
            throw new InvalidInputException("Jenkins URL", "is not configured, so the provenance cannot name the builder",
                    "the Jenkins URL set in Manage Jenkins » System");
        }
        String root = jenkinsUrl.endsWith("/") ? jenkinsUrl : jenkinsUrl + "/";
        return root + (relative.startsWith("/") ? relative.substring(1) : relative);
    }
}
