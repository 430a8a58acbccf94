package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Assembles the provenance statement of one image build from plain facts: an in-toto Statement v1 whose
 * subject is the image and whose predicate is SLSA Provenance v1 with this project's {@link #BUILD_TYPE}.
 * Not thread-safe; one builder per build.
 *
 * <pre>{@code
 * Statement provenance = ProvenanceBuilder.forImage("registry.example.com/shop/api", digest)
 *         .builderId("https://jenkins.example.com/job/shop/job/api/")
 *         .job("shop/api")
 *         .buildUrl("https://jenkins.example.com/job/shop/job/api/42/")
 *         .externalParameter("tag", "3f2a9c1b7d4e")
 *         .sourceCommit(new SourceCommit("https://git.example.com/shop/api.git", sha, "refs/heads/main"))
 *         .baseImage("docker.io/library/eclipse-temurin", baseDigest)
 *         .startedOn(start).finishedOn(end)
 *         .build();
 * }</pre>
 */
public final class ProvenanceBuilder {

    /** The build type this project defines (documented in docs/provenance.md); bump the version on a breaking change. */
    public static final String BUILD_TYPE = "https://jenkins.io/plugins/immutable-deployment/build/v1";

    /** The {@code externalParameters} key for the Jenkins job (or CI pipeline) that ran the build. */
    public static final String JOB_PARAMETER = "job";

    private final String imageName;
    private final Digest digest;
    private String builderId;
    private String buildUrl;
    private final Map<String, Object> externalParameters = new LinkedHashMap<>();
    private final Map<String, Object> internalParameters = new LinkedHashMap<>();
    private final Map<String, String> builderVersion = new LinkedHashMap<>();
    private final List<ResourceDescriptor> resolvedDependencies = new ArrayList<>();
    private final List<ResourceDescriptor> byproducts = new ArrayList<>();
    private Instant startedOn;
    private Instant finishedOn;

    private ProvenanceBuilder(String imageName, Digest digest) {
        this.imageName = imageName;
        this.digest = Objects.requireNonNull(digest, "digest");
    }

    /** @param imageName the repository the image was pushed to, without tag or digest (the subject's name) */
    public static ProvenanceBuilder forImage(String imageName, Digest digest) {
        return new ProvenanceBuilder(imageName, digest);
    }

    /** {@code runDetails.builder.id}: the build platform, for Jenkins its root URL plus the job. Required. */
    public ProvenanceBuilder builderId(String uri) {
        this.builderId = RecordedText.webUrl(uri, "builderId", "an absolute URI such as https://jenkins.example.com/job/shop/");
        return this;
    }

    /** {@code runDetails.metadata.invocationId}: the URL of this build. Required. */
    public ProvenanceBuilder buildUrl(String url) {
        this.buildUrl = RecordedText.webUrl(url, "buildUrl", "an absolute URL such as https://jenkins.example.com/job/shop/42/");
        return this;
    }

    /** The full name of the job that ran the build; recorded as {@code externalParameters.job}. Required. */
    public ProvenanceBuilder job(String fullName) {
        if (fullName == null || fullName.isBlank()) {
            throw new InvalidInputException("job", "is empty", "the job's full name, e.g. shop/api/main");
        }
        externalParameters.put(JOB_PARAMETER, RecordedText.bounded(fullName, "job", RecordedText.JOB_MAX));
        return this;
    }

    /** An input the user controls (a step parameter); never a secret. */
    public ProvenanceBuilder externalParameter(String name, Object value) {
        externalParameters.put(name, value);
        return this;
    }

    public ProvenanceBuilder externalParameters(Map<String, ?> parameters) {
        parameters.forEach(this::externalParameter);
        return this;
    }

    /** A value the build platform set (e.g. the builder tool that ran); never a secret. */
    public ProvenanceBuilder internalParameter(String name, Object value) {
        internalParameters.put(name, value);
        return this;
    }

    /** {@code runDetails.builder.version}, e.g. {@code ("immutable-deployment", "0.1")}. */
    public ProvenanceBuilder builderVersion(String component, String version) {
        builderVersion.put(component, version);
        return this;
    }

    public ProvenanceBuilder sourceCommit(SourceCommit commit) {
        resolvedDependencies.add(commit.toResourceDescriptor());
        return this;
    }

    /** A base image the build pulled, pinned by the digest it resolved to. */
    public ProvenanceBuilder baseImage(String imageName, Digest baseDigest) {
        if (imageName == null || imageName.isBlank()) {
            throw new InvalidInputException("baseImage", "has no name", "REGISTRY/REPOSITORY with its digest");
        }
        resolvedDependencies.add(ResourceDescriptor.of(imageName, Objects.requireNonNull(baseDigest, "baseDigest")));
        return this;
    }

    public ProvenanceBuilder resolvedDependency(ResourceDescriptor dependency) {
        resolvedDependencies.add(Objects.requireNonNull(dependency, "dependency"));
        return this;
    }

    /** Something else the build produced that helps later (a log, an evaluated config), by digest. */
    public ProvenanceBuilder byproduct(ResourceDescriptor byproduct) {
        byproducts.add(Objects.requireNonNull(byproduct, "byproduct"));
        return this;
    }

    public ProvenanceBuilder startedOn(Instant time) {
        this.startedOn = time;
        return this;
    }

    public ProvenanceBuilder finishedOn(Instant time) {
        this.finishedOn = time;
        return this;
    }

    public SlsaProvenance predicate() {
        if (builderId == null) {
            throw new InvalidInputException("builderId", "is missing", "the Jenkins URL plus the job, as a URI");
        }
        if (buildUrl == null) {
            throw new InvalidInputException("buildUrl", "is missing", "the URL of the build");
        }
        if (!externalParameters.containsKey(JOB_PARAMETER)) {
            throw new InvalidInputException("job", "is missing", "the job's full name, e.g. shop/api/main");
        }
        return new SlsaProvenance(
                new SlsaProvenance.BuildDefinition(
                        BUILD_TYPE, externalParameters, internalParameters, resolvedDependencies),
                new SlsaProvenance.RunDetails(
                        new SlsaProvenance.Builder(builderId, null, builderVersion),
                        new SlsaProvenance.BuildMetadata(buildUrl, startedOn, finishedOn),
                        byproducts));
    }

    public Statement build() {
        return Statement.aboutImage(imageName, digest, predicate());
    }
}
