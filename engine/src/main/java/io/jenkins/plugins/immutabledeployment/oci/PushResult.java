package io.jenkins.plugins.immutabledeployment.oci;

/**
 * What a push did.
 *
 * @param image the pushed image pinned by digest, {@code registry/repository@sha256:…}
 * @param digest the SHA-256 of the exact manifest (or index) bytes pushed
 * @param repository {@code registry/repository}
 * @param tag the tag written, or {@code null}
 * @param size manifests plus distinct blobs, in bytes
 * @param blobsUploaded blobs whose bytes were sent
 * @param blobsPresent blobs the registry already had
 * @param bytesUploaded blob bytes sent (retries included)
 */
public record PushResult(
        String image, Digest digest, String repository, String tag, String mediaType, long size, int blobsUploaded,
        int blobsPresent, long bytesUploaded) {}
