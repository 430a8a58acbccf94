package io.jenkins.plugins.immutabledeployment.testing;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Small images made with umoci and pushed, for tests about what happens to an image after its push. */
public final class TestImages {

    private TestImages() {}

    /** Builds a one-layer image holding {@code files} and pushes it to {@code target}. */
    public static PushResult push(RegistryClient client, ImageRef target, Map<String, String> files) {
        try {
            Path layout = Files.createTempDirectory("image-");
            try (ImageArchive archive = ImageArchive.open(
                    Umoci.imageWithFiles(layout.resolve("layout"), "v1", files), "archive")) {
                return new ImagePusher(client, Progress.NONE).push(archive, target, TagPolicy.IMMUTABLE);
            } finally {
                RegistryServer.deleteRecursively(layout);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
