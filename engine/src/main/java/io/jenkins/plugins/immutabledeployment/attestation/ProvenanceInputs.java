package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.provenance.ProvenanceBuilder;
import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import io.jenkins.plugins.immutabledeployment.provenance.Statement;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts of a build that go into its SLSA provenance, besides the image itself (see docs/provenance.md,
 * "Build type v1"). Nothing here may be secret: it is published with the image.
 *
 * @param builderId the build platform: the Jenkins URL plus the job (or the CI system's equivalent)
 * @param buildUrl the URL of this build (the invocation id)
 * @param job the full name of the job that ran the build
 * @param externalParameters the step's parameters as the user wrote them ({@code tag}, {@code archive}, …)
 * @param internalParameters what the platform chose, e.g. {@code builderTool}
 * @param sources the source checkouts, by commit
 * @param baseImages base images, each pinned by digest
 * @param builderVersion versions of the platform's parts, e.g. {@code immutable-deployment → 0.1}
 * @param startedOn when the build started, or {@code null}
 */
public record ProvenanceInputs(
        String builderId,
        String buildUrl,
        String job,
        Map<String, Object> externalParameters,
        Map<String, Object> internalParameters,
        List<SourceCommit> sources,
        List<ImageRef> baseImages,
        Map<String, String> builderVersion,
        Instant startedOn) {

    public ProvenanceInputs {
        externalParameters = withoutNulls(externalParameters);
        internalParameters = withoutNulls(internalParameters);
        sources = sources == null ? List.of() : List.copyOf(sources);
        baseImages = baseImages == null ? List.of() : List.copyOf(baseImages);
        builderVersion = withoutNulls(builderVersion);
        baseImages.forEach(image -> image.requireDigest("baseImage"));
    }

    /** Just the required facts; the {@code with…} methods add the rest. */
    public static ProvenanceInputs of(String builderId, String buildUrl, String job) {
        return new ProvenanceInputs(builderId, buildUrl, job, null, null, null, null, null, null);
    }

    public ProvenanceInputs withExternalParameters(Map<String, Object> parameters) {
        return new ProvenanceInputs(builderId, buildUrl, job, parameters, internalParameters, sources, baseImages,
                builderVersion, startedOn);
    }

    public ProvenanceInputs withInternalParameters(Map<String, Object> parameters) {
        return new ProvenanceInputs(builderId, buildUrl, job, externalParameters, parameters, sources, baseImages,
                builderVersion, startedOn);
    }

    public ProvenanceInputs withSources(List<SourceCommit> commits) {
        return new ProvenanceInputs(builderId, buildUrl, job, externalParameters, internalParameters, commits,
                baseImages, builderVersion, startedOn);
    }

    public ProvenanceInputs withBaseImages(List<ImageRef> images) {
        return new ProvenanceInputs(builderId, buildUrl, job, externalParameters, internalParameters, sources, images,
                builderVersion, startedOn);
    }

    public ProvenanceInputs withBuilderVersion(Map<String, String> versions) {
        return new ProvenanceInputs(builderId, buildUrl, job, externalParameters, internalParameters, sources,
                baseImages, versions, startedOn);
    }

    public ProvenanceInputs withStartedOn(Instant time) {
        return new ProvenanceInputs(builderId, buildUrl, job, externalParameters, internalParameters, sources,
                baseImages, builderVersion, time);
    }

    /** The provenance statement about {@code imageName} at {@code digest}, finished at {@code finishedOn}. */
    public Statement statement(String imageName, Digest digest, Instant finishedOn) {
        ProvenanceBuilder builder = ProvenanceBuilder.forImage(imageName, digest)
                .builderId(builderId)
                .buildUrl(buildUrl)
                .job(job)
                .externalParameters(externalParameters)
                .startedOn(startedOn)
                .finishedOn(finishedOn);
        internalParameters.forEach(builder::internalParameter);
        builderVersion.forEach(builder::builderVersion);
        sources.forEach(builder::sourceCommit);
        baseImages.forEach(image -> builder.baseImage(image.name(), image.digest()));
        return builder.build();
    }

    private static <V> Map<String, V> withoutNulls(Map<String, V> map) {
        Map<String, V> copy = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((key, value) -> {
                if (key != null && value != null) {
                    copy.put(key, value);
                }
            });
        }
        return Collections.unmodifiableMap(copy);
    }
}
