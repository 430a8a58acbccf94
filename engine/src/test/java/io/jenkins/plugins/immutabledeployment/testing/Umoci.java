package io.jenkins.plugins.immutabledeployment.testing;

import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.MediaTypes;
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

    /**
     * A layout whose {@code index.json} lists one entry, {@code tag}: an image index with one image per
     * architecture (linux), each holding a file {@code arch} with the given content — a real multi-platform image.
     */
    public static Path multiPlatformImage(Path layout, String tag, Map<String, String> contentByArchitecture) {
        try {
            Path blobs = layout.resolve("blobs/sha256");
            List<Descriptor> children = new java.util.ArrayList<>();
            for (Map.Entry<String, String> architecture : contentByArchitecture.entrySet()) {
                imageWithFiles(layout, architecture.getKey(), Map.of("arch", architecture.getValue()));
                Descriptor image = Manifest.parse(Files.readAllBytes(layout.resolve("index.json")), MediaTypes.OCI_INDEX)
                        .manifests().stream()
                        .filter(d -> architecture.getKey().equals(d.annotations().get("org.opencontainers.image.ref.name")))
                        .findFirst().orElseThrow();
                children.add(new Descriptor(image.mediaType(), image.digest(), image.size(), null, Map.of(),
                        new Descriptor.Platform("linux", architecture.getKey(), null)));
            }
            Manifest index = Manifest.index(MediaTypes.OCI_INDEX, children, null, null, null);
            Files.write(blobs.resolve(index.digest().hex()), index.bytes());
            Descriptor entry = new Descriptor(MediaTypes.OCI_INDEX, index.digest(), index.size(), null,
                    Map.of("org.opencontainers.image.ref.name", tag), null);
            Files.write(layout.resolve("index.json"), Manifest.index(MediaTypes.OCI_INDEX, List.of(entry), null, null, null).bytes());
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
