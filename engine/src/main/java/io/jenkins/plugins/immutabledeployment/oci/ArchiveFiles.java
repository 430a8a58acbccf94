package io.jenkins.plugins.immutabledeployment.oci;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** The files of an image archive, by path inside it: a directory, or the entries of an indexed tar. */
final class ArchiveFiles {

    /** One file: its size, and a way to stream it (any number of times, from any thread). */
    record File(String path, long size, Path container, long offset) {

        InputStream open() throws IOException {
            FileChannel channel = FileChannel.open(container, StandardOpenOption.READ);
            return new BufferedInputStream(new RegionInputStream(channel, offset, size), 1 << 16);
        }

        byte[] readAll(int max) throws IOException {
            if (size > max) {
                throw new IOException(path + " is " + size + " bytes, more than the " + max + " expected");
            }
            try (InputStream in = open()) {
                return in.readNBytes((int) size);
            }
        }
    }

    private final Path root;
    private final TarIndex tar;

    private ArchiveFiles(Path root, TarIndex tar) {
        this.root = root;
        this.tar = tar;
    }

    static ArchiveFiles directory(Path directory) {
        return new ArchiveFiles(directory.toAbsolutePath().normalize(), null);
    }

    static ArchiveFiles tar(Path tarFile, TarIndex index) {
        return new ArchiveFiles(tarFile, index);
    }

    /**
     * The file at {@code path}; a blob ({@code blobs/…}) that is a symbolic link is refused: its bytes would come
     * from wherever the link points.
     */
    Optional<File> find(String path) throws IOException {
        String name = TarIndex.normalise(path);
        boolean blob = name.startsWith("blobs/");
        if (tar != null) {
            if (blob && tar.isSymbolicLink(name)) {
                throw symlinkedBlob(name);
            }
            return tar.find(name).map(entry -> new File(name, entry.size(), root, entry.offset()));
        }
        if (blob && Files.isSymbolicLink(root.resolve(name))) {
            throw symlinkedBlob(name);
        }
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        // Links are followed, but only to files inside the directory.
        if (!file.toRealPath().startsWith(root.toRealPath())) {
            return Optional.empty();
        }
        return Optional.of(new File(name, Files.size(file), file, 0));
    }

    private static IOException symlinkedBlob(String name) {
        return new IOException("the blob " + name + " is a symbolic link; blobs must be files of the archive itself");
    }

    /** A region of a file, read with positional reads so that several can be read at once. */
    private static final class RegionInputStream extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;

        RegionInputStream(FileChannel channel, long offset, long size) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= end) {
                return -1;
            }
            int wanted = (int) Math.min(length, end - position);
            int n = channel.read(ByteBuffer.wrap(buffer, offset, wanted), position);
            if (n < 0) {
                throw new IOException("file ended " + (end - position) + " bytes early");
            }
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
