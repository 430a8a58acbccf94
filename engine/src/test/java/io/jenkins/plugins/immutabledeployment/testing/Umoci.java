package io.jenkins.plugins.immutabledeployment.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds OCI image layouts with umoci, without any container daemon. */
public final class Umoci {

    private Umoci() {}

    /** A layout at {@code layout} with image {@code tag} holding one layer with the given files (path → content). */
    public static Path imageWithFiles(Path layout, String tag, Map<String, String> files) {
        try {
            Path rootfs = Files.createTempDirectory("rootfs-");
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = rootfs.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
            newImageWith(layout, tag, rootfs, "/");
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A layout with image {@code tag} holding one layer: a file of {@code size} random bytes (seeded). */
    public static Path imageWithRandomLayer(Path layout, String tag, long size, long seed) {
        try {
            Path content = Files.createTempFile("random-", ".bin");
            writeRandom(content, size, seed);
            newImageWith(layout, tag, content, "/data.bin");
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void newImageWith(Path layout, String tag, Path source, String target) {
        if (!Files.exists(layout.resolve("oci-layout"))) {
            Command.run(List.of("umoci", "init", "--layout", layout.toString()));
        }
        Command.run(List.of("umoci", "new", "--image", layout + ":" + tag));
        Command.run(List.of("umoci", "insert", "--image", layout + ":" + tag, source.toString(), target));
        RegistryServer.deleteRecursively(source);
    }

    static void writeRandom(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; ) {
                random.nextBytes(buffer);
                int n = (int) Math.min(buffer.length, size - written);
                out.write(buffer, 0, n);
                written += n;
            }
        }
    }
}
