package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The SLSA Provenance v1 predicate ({@value #PREDICATE_TYPE}), field for field as the SLSA specification
 * defines it. Empty optional fields are left out of the JSON (the spec reads unset, null and empty alike);
 * {@code externalParameters} is always written because SLSA Build L1 requires it.
 */
public record SlsaProvenance(BuildDefinition buildDefinition, RunDetails runDetails) implements Predicate {

    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";

    public SlsaProvenance {
        if (buildDefinition == null || runDetails == null) {
            throw new InvalidInputException(
                    "predicate", "lacks buildDefinition or runDetails", "a SLSA v1 predicate with both");
        }
    }

    @Override
    public String predicateType() {
        return PREDICATE_TYPE;
    }

    /** The inputs of the build: what template ran ({@code buildType}) with which parameters and dependencies. */
    public record BuildDefinition(
            String buildType,
            Map<String, Object> externalParameters,
            Map<String, Object> internalParameters,
            List<ResourceDescriptor> resolvedDependencies) {

        public BuildDefinition {
            requireText(buildType, "buildDefinition.buildType");
            externalParameters = JsonObjects.sorted(externalParameters, "externalParameters");
            internalParameters = JsonObjects.sortedOrNull(internalParameters, "internalParameters");
            resolvedDependencies = JsonObjects.listOrNull(resolvedDependencies);
        }
    }

    /** This particular execution: who ran it, when, and what else it produced. */
    public record RunDetails(Builder builder, BuildMetadata metadata, List<ResourceDescriptor> byproducts) {

        public RunDetails {
            if (builder == null) {
                throw new InvalidInputException("runDetails.builder", "is missing", "{\"id\": \"<URI>\"}");
            }
            byproducts = JsonObjects.listOrNull(byproducts);
        }
    }

    /** The build platform trusted to have run the build and recorded this provenance. */
    public record Builder(String id, List<ResourceDescriptor> builderDependencies, Map<String, String> version) {

        public Builder {
            requireText(id, "runDetails.builder.id");
            builderDependencies = JsonObjects.listOrNull(builderDependencies);
            version = JsonObjects.sortedOrNull(version, "runDetails.builder.version");
        }
    }

    /** @param invocationId for this project, the URL of the Jenkins build (or CI run) */
    public record BuildMetadata(String invocationId, Instant startedOn, Instant finishedOn) {

        public BuildMetadata {
            if (startedOn != null && finishedOn != null && finishedOn.isBefore(startedOn)) {
                throw new InvalidInputException(
                        "finishedOn", finishedOn + " is before startedOn " + startedOn, "a time at or after startedOn");
            }
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is empty", "a URI");
        }
    }
}
