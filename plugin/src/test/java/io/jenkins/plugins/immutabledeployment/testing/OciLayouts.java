package io.jenkins.plugins.immutabledeployment.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small real images for tests, made with {@code umoci} (an OCI layout, no daemon) and {@code tar} (an OCI archive). */
public final class OciLayouts {

    private OciLayouts() {}

    /** A new OCI layout at {@code layout} (a path that does not exist yet: umoci makes it) whose image {@code latest} has one layer holding {@code /hello.txt} = {@code content}. */
    public static Path create(Path layout, String content) throws IOException, InterruptedException {
        Path file = Files.createTempFile("hello", ".txt");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        run(List.of("umoci", "init", "--layout", layout.toString()));
        run(List.of("umoci", "new", "--image", layout + ":latest"));
        run(List.of("umoci", "insert", "--image", layout + ":latest", file.toString(), "/hello.txt"));
        Files.delete(file);
        return layout;
    }

    /** Adds an image {@code ref} holding {@code /hello.txt} = {@code content} to an existing layout. */
    public static Path addImage(Path layout, String ref, String content) throws IOException, InterruptedException {
        Path file = Files.createTempFile("hello", ".txt");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        run(List.of("umoci", "new", "--image", layout + ":" + ref));
        run(List.of("umoci", "insert", "--image", layout + ":" + ref, file.toString(), "/hello.txt"));
        Files.delete(file);
        return layout;
    }

    /** The manifest digest of the image {@code ref} of a layout, as skopeo reads it. */
    public static String digest(Path layout, String ref) throws IOException, InterruptedException {
        Process skopeo = new ProcessBuilder("skopeo", "inspect", "--format", "{{.Digest}}", "oci:" + layout + ":" + ref)
                .redirectErrorStream(true).start();
        String out = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (skopeo.waitFor() != 0) {
            throw new IllegalStateException("skopeo inspect oci:" + layout + ":" + ref + " failed:\n" + out);
        }
        return out;
    }

    /** The layout as an OCI archive: a tar of the layout directory. */
    public static Path archive(Path layout, Path tar) throws IOException, InterruptedException {
        run(List.of("tar", "-C", layout.toString(), "-cf", tar.toString(), "."));
        return tar;
    }

    public static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
    }
}
