package io.jenkins.plugins.immutabledeployment.attestation;

/**
 * The artifact types and annotations of what this product attaches to images. The DSSE media type is the one
 * cosign writes for attestation layers; the predicate type annotation is the one BuildKit writes
 * ({@code in-toto.io/predicate-type}), so that a reader can pick attestations without fetching them.
 */
public final class ArtifactTypes {

    /** A DSSE envelope (JSON): the artifact type of attestation manifests and the media type of their layer. */
    public static final String DSSE_ENVELOPE = "application/vnd.dsse.envelope.v1+json";
    public static final String CYCLONEDX_JSON = "application/vnd.cyclonedx+json";
    public static final String SPDX_JSON = "application/spdx+json";

    /** Annotation with the in-toto predicate type of an attestation, on its manifest and on its layer. */
    public static final String PREDICATE_TYPE_ANNOTATION = "in-toto.io/predicate-type";
    /** OCI pre-defined annotation: when the artifact was created (RFC 3339). */
    public static final String CREATED_ANNOTATION = "org.opencontainers.image.created";
    /** OCI pre-defined annotation: the file name of an SBOM layer. */
    public static final String TITLE_ANNOTATION = "org.opencontainers.image.title";

    private ArtifactTypes() {}

    public static boolean isSbom(String artifactType) {
        return CYCLONEDX_JSON.equals(artifactType) || SPDX_JSON.equals(artifactType);
    }
}
