package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.Map;

/**
 * An in-toto attestation framework v1 ResourceDescriptor: a pointer to an artifact by URI and/or digest.
 * Field names and order are the spec's ({@code name, uri, digest, downloadLocation, mediaType, annotations});
 * the spec's optional inline {@code content} is not produced by this project and ignored when read.
 *
 * @param digest a DigestSet: algorithm name (e.g. {@code sha256}, {@code gitCommit}) to lowercase hex
 */
public record ResourceDescriptor(
        String name,
        String uri,
        Map<String, String> digest,
        String downloadLocation,
        String mediaType,
        Map<String, Object> annotations) {

    public ResourceDescriptor {
        digest = JsonObjects.sortedOrNull(digest, "resourceDescriptor.digest");
        annotations = JsonObjects.sortedOrNull(annotations, "resourceDescriptor.annotations");
        if (uri == null && digest == null) {
            throw new InvalidInputException(
                    "resourceDescriptor", "has neither uri nor digest", "a descriptor with a uri, a digest or both");
        }
        if (digest != null) {
            digest.forEach((algorithm, value) -> {
                if (value.isBlank()) {
                    throw new InvalidInputException(
                            "resourceDescriptor.digest." + algorithm, "is empty", "{\"<algorithm>\": \"<hex>\"}");
                }
            });
        }
    }

    /** An artifact identified by name and content digest, e.g. a container image. */
    public static ResourceDescriptor of(String name, Digest digest) {
        return new ResourceDescriptor(name, null, digestSet(digest), null, null, null);
    }

    /** A DigestSet with one entry, {@code {"sha256": "<hex>"}} for a sha256 digest. */
    public static Map<String, String> digestSet(Digest digest) {
        return Map.of(digest.algorithm(), digest.hex());
    }

    /** Whether this descriptor's DigestSet has the same value as {@code digest} for its algorithm. */
    public boolean hasDigest(Digest digest) {
        return this.digest != null && digest.hex().equals(this.digest.get(digest.algorithm()));
    }
}
