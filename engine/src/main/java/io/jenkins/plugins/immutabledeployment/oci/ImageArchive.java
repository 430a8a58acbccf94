package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * An image on disk, ready to push: an OCI image layout directory, an OCI archive (a tar of a layout, the newer
 * {@code docker save} format included) or an older {@code docker save} tarball, optionally gzip-compressed.
 * Opening it reads the manifests and checks that every blob they need is there with the right size, so that a
 * broken archive is refused before anything is written. Blobs are streamed from the archive when pushed; a
 * multi-platform index is kept whole. An archive that holds several images is pushed only with one of them named
 * ({@link ArchiveLocation}), never as an index made of them.
 */
public final class ImageArchive implements Closeable {

    public static final String ACCEPTED_FORM = "an OCI image layout directory, an OCI archive (a tar of a layout,"
            + " optionally gzip-compressed) or a docker save tarball";

    public enum Format {
        OCI_LAYOUT,
        OCI_ARCHIVE,
        DOCKER_ARCHIVE
    }

    private final Format format;
    private final Manifest root;
    private final List<Manifest> manifests;
    private final Map<Digest, BlobSource> blobs;
    private final Path temporary;

    ImageArchive(Format format, Manifest root, List<Manifest> manifests, Map<Digest, BlobSource> blobs, Path temporary) {
        this.format = format;
        this.root = root;
        this.manifests = List.copyOf(manifests);
        this.blobs = Collections.unmodifiableMap(new LinkedHashMap<>(blobs));
        this.temporary = temporary;
    }

    /** Opens and checks an archive that holds one image; whatever is wrong with it is refused as bad input for {@code field}. */
    public static ImageArchive open(Path path, String field) {
        return open(path, null, field);
    }

    /**
     * Opens and checks an archive, picking {@code image} in it ({@link ArchiveLocation}): the OCI layout entry with
     * that {@code org.opencontainers.image.ref.name}, or the docker save image with that repository tag. Without
     * {@code image} the archive must hold one image. Whatever is wrong is refused as bad input for {@code field}.
     */
    public static ImageArchive open(Path path, String image, String field) {
        if (path == null || !Files.exists(path)) {
            throw new InvalidInputException(field, "\"" + path + "\" does not exist", ACCEPTED_FORM);
        }
        if (!Files.isReadable(path)) {
            throw new InvalidInputException(field, "\"" + path + "\" is not readable", ACCEPTED_FORM);
        }
        Path temporary = null;
        try {
            ArchiveFiles files;
            boolean directory = Files.isDirectory(path);
            if (directory) {
                files = ArchiveFiles.directory(path);
            } else {
                Path tar = path;
                if (isGzip(path)) {
                    temporary = Files.createTempFile("immutable-deploy-", ".tar");
                    tar = temporary;
                    gunzip(path, tar);
                }
                Optional<TarIndex> index = TarIndex.read(tar);
                if (index.isEmpty()) {
                    throw new InvalidInputException(field, "\"" + path + "\" is not a tar file", ACCEPTED_FORM);
                }
                files = ArchiveFiles.tar(tar, index.get());
            }
            boolean ociLayout = files.find("oci-layout").isPresent() || files.find("index.json").isPresent();
            if (!ociLayout && files.find("manifest.json").isEmpty()) {
                throw new InvalidInputException(field, "\"" + path + "\" holds neither an OCI layout (oci-layout,"
                        + " index.json) nor a docker save image (manifest.json)", ACCEPTED_FORM);
            }
            ImageArchive archive = ociLayout
                    ? OciLayoutReader.read(files, directory ? Format.OCI_LAYOUT : Format.OCI_ARCHIVE, image, field, temporary)
                    : DockerArchiveReader.read(files, image, field, temporary);
            temporary = null;
            return archive;
        } catch (IOException e) {
            throw new InvalidInputException(field, "cannot read \"" + path + "\": " + e.getMessage(), ACCEPTED_FORM);
        } finally {
            deleteQuietly(temporary);
        }
    }

    public Format format() {
        return format;
    }

    /** What a push tags: the image manifest, or the index of a multi-platform image. */
    public Manifest root() {
        return root;
    }

    /** Every manifest, children before the indexes that list them; the root is last. */
    public List<Manifest> manifests() {
        return manifests;
    }

    /** Every distinct blob (configs and layers) of every manifest. */
    public Collection<BlobSource> blobs() {
        return blobs.values();
    }

    /** The total size of manifests and distinct blobs. */
    public long size() {
        long size = 0;
        for (Manifest manifest : manifests) {
            size += manifest.size();
        }
        for (BlobSource blob : blobs.values()) {
            size += blob.size();
        }
        return size;
    }

    @Override
    public void close() {
        deleteQuietly(temporary);
    }

    /** A blob streamed from a file of the archive. */
    record ArchiveBlob(Digest digest, ArchiveFiles.File file) implements BlobSource {
        @Override
        public long size() {
            return file.size();
        }

        @Override
        public InputStream open() throws IOException {
            return file.open();
        }
    }

    /** Collects manifests (children first) and distinct blobs while an archive is read. */
    static final class Contents {
        final List<Manifest> manifests = new ArrayList<>();
        final Map<Digest, BlobSource> blobs = new LinkedHashMap<>();

        void addManifest(Manifest manifest) {
            if (manifests.stream().noneMatch(m -> m.digest().equals(manifest.digest()))) {
                manifests.add(manifest);
            }
        }

        ImageArchive finish(Format format, Manifest root, Path temporary) {
            return new ImageArchive(format, root, manifests, blobs, temporary);
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static void gunzip(Path source, Path target) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(source), 1 << 16);
             OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temporary file is harmless; the OS cleans its temporary directory.
            }
        }
    }
}
