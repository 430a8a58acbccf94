package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The build facts recorded in the provenance of {@code push} ({@code @Mixin}); each defaults to what the CI
 * system's environment says ({@link CiEnvironment}).
 */
final class ProvenanceOptions {

    @Option(names = "--builder-id", paramLabel = "URI",
            description = "The build platform (default: the CI job URL from the environment, e.g. Jenkins' JOB_URL).")
    String builderId;

    @Option(names = "--build-url", paramLabel = "URL",
            description = "The URL of this build (default: the CI run URL from the environment, e.g. BUILD_URL).")
    String buildUrl;

    @Option(names = "--job", paramLabel = "NAME", description = "The job's full name (default: from the environment).")
    String job;

    @Option(names = "--source-repository", paramLabel = "URL",
            description = "The source repository built (default: from the environment, e.g. GIT_URL).")
    String sourceRepository;

    @Option(names = "--source-commit", paramLabel = "SHA",
            description = "The full commit id built (default: from the environment, e.g. GIT_COMMIT).")
    String sourceCommit;

    @Option(names = "--source-ref", paramLabel = "REF", description = "The branch or tag of the commit, e.g. refs/heads/main.")
    String sourceRef;

    /** The provenance facts of a push of {@code archive} to {@code target}, begun at {@code startedOn}. */
    ProvenanceInputs inputs(CiEnvironment ci, ImageRef target, String archive, Instant startedOn) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("archive", archive);
        if (target.tag() != null) {
            parameters.put("tag", target.tag());
        }
        return ProvenanceInputs.of(or(builderId, ci.builderId()), or(buildUrl, ci.buildUrl()), or(job, ci.job()))
                .withExternalParameters(parameters)
                .withSources(source(ci))
                .withBuilderVersion(Map.of("immutable-deploy", ImmutableDeploy.version()))
                .withStartedOn(startedOn);
    }

    private List<SourceCommit> source(CiEnvironment ci) {
        if (sourceRepository == null && sourceCommit == null) {
            return ci.source() == null ? List.of() : List.of(ci.source());
        }
        if (sourceRepository == null || sourceCommit == null) {
            throw new InvalidInputException(sourceRepository == null ? "source-repository" : "source-commit",
                    "is missing", "--source-repository URL --source-commit SHA together");
        }
        return List.of(new SourceCommit(sourceRepository, sourceCommit, sourceRef));
    }

    private static String or(String option, String fromEnvironment) {
        return option != null ? option : fromEnvironment;
    }
}
