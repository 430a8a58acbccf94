package io.jenkins.plugins.immutabledeployment.oci;

/**
 * What a copy did.
 *
 * @param image the copy pinned by digest, {@code registry/repository@sha256:…}
 * @param digest the digest, the same in source and target
 * @param repository {@code registry/repository} of the target
 * @param tag the tag written in the target, or {@code null}
 * @param source the source image, pinned by digest
 * @param size manifests plus distinct blobs, in bytes
 * @param blobsMounted blobs mounted from the source repository (same registry: no bytes moved)
 * @param blobsCopied blobs whose bytes were streamed from source to target
 * @param blobsPresent blobs the target already had
 * @param bytesCopied blob bytes sent to the target (retries included)
 * @param requests HTTP requests made to the registries (authorization exchanges with a registry included)
 */
public record CopyResult(
        String image, Digest digest, String repository, String tag, String mediaType, String source, long size,
        int blobsMounted, int blobsCopied, int blobsPresent, long bytesCopied, long requests) {}
