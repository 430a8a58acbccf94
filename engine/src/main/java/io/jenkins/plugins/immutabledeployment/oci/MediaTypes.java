package io.jenkins.plugins.immutabledeployment.oci;

import java.util.List;

/** The media types of manifests and blobs this product reads and writes. */
public final class MediaTypes {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** The config of an artifact manifest that has no config of its own (OCI 1.1). */
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
    public static final String DOCKER_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";

    /** Every manifest media type this product handles, in order of preference. */
    public static final List<String> MANIFESTS = List.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

    /** The {@code Accept} header value for manifest requests. */
    public static final String MANIFEST_ACCEPT = String.join(", ", MANIFESTS);

    private MediaTypes() {}

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }
}
