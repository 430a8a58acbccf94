package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies between repositories of one real registry (mounts) and between two registries (streams). */
class ImageCopyIT {

    @AutoClose
    private static final RegistryServer registry = RegistryServer.plain();
    @AutoClose
    private static final RegistryServer other = RegistryServer.plain();
    @TempDir
    Path work;

    @Test
    void sameRegistryCopyMountsEveryBlobAndMovesNoBlobBytes() {
        PushResult pushed = push(registry, "staging/api:1", Map.of("a", "mount me", "b", "and me"));
        RegistryClient client = client(registry);
        int logBefore = registry.accessLog().size();

        CopyResult copy = new ImageCopier(client, client, Progress.NONE)
                .copy(ImageRef.parse(pushed.image(), "image"), registry.ref("prod/api:release-1"), TagPolicy.IMMUTABLE);

        assertThat(copy.digest()).isEqualTo(pushed.digest());
        assertThat(copy.blobsMounted()).isEqualTo(2);
        assertThat(copy.blobsCopied()).isZero();
        assertThat(copy.bytesCopied()).isZero();
        // blobs + GET target tag and HEAD digest (checks) + GET source manifest + PUT manifest by digest (proven by
        // the answer's Docker-Content-Digest) + GET target tag again, PUT it and GET it back (the tag last, verified)
        assertThat(copy.requests()).isLessThanOrEqualTo(2 + 7);
        List<String> requests = registry.accessLog().subList(logBefore, registry.accessLog().size());
        assertThat(requests).filteredOn(line -> line.contains("mount=")).hasSize(2).allMatch(line -> line.contains("\" 201 "));
        assertThat(requests).noneMatch(line -> line.contains("\"PATCH ") || line.contains("\"PUT /v2/prod/api/blobs/"));
        assertThat(Skopeo.inspectDigest(registry, "prod/api:release-1")).isEqualTo(pushed.digest());
    }

    @Test
    void crossRegistryCopyStreamsBlobsAndKeepsTheDigest() {
        PushResult pushed = push(registry, "team/app:2", Map.of("x", "cross"));

        CopyResult copy = new ImageCopier(client(registry), client(other), Progress.NONE)
                .copy(ImageRef.parse(pushed.image(), "image"), other.ref("mirror/app:2"), TagPolicy.IMMUTABLE);

        assertThat(copy.digest()).isEqualTo(pushed.digest());
        assertThat(copy.blobsCopied()).isEqualTo(2);
        assertThat(copy.bytesCopied()).isEqualTo(sumOfBlobs(pushed));
        assertThat(Skopeo.inspectDigest(other, "mirror/app:2")).isEqualTo(Skopeo.inspectDigest(registry, "team/app:2"));

        // Again: everything is there already, nothing moves.
        CopyResult again = new ImageCopier(client(registry), client(other), Progress.NONE)
                .copy(ImageRef.parse(pushed.image(), "image"), other.ref("mirror/app:2"), TagPolicy.IMMUTABLE);
        assertThat(again.blobsPresent()).isEqualTo(2);
        assertThat(again.bytesCopied()).isZero();
    }

    @Test
    void copiesMultiPlatformIndexChildrenFirst() {
        Path layout = Umoci.multiPlatformImage(work.resolve("multi"), "1", Map.of("amd64", "amd64", "arm64", "arm64"));
        PushResult pushed;
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            pushed = new ImagePusher(client(registry), Progress.NONE).push(archive, registry.ref("multi/src:1"),
                    TagPolicy.IMMUTABLE);
        }

        CopyResult copy = new ImageCopier(client(registry), client(other), Progress.NONE)
                .copy(ImageRef.parse(pushed.image(), "image"), other.ref("multi/dst:1"), TagPolicy.IMMUTABLE);

        assertThat(copy.digest()).isEqualTo(pushed.digest());
        assertThat(client(other).getManifest("multi/dst", "1").bytes())
                .isEqualTo(client(registry).getManifest("multi/src", "1").bytes());
        for (Descriptor child : client(other).getManifest("multi/dst", "1").manifests()) {
            assertThat(Skopeo.inspectDigest(other, "multi/dst@" + child.digest())).isEqualTo(child.digest());
        }
    }

    @Test
    void refusesTagOnlySourceAndMovingAnImmutableTag() {
        PushResult first = push(registry, "guard/a:1", Map.of("g", "1"));
        PushResult second = push(registry, "guard/b:1", Map.of("g", "2"));
        RegistryClient client = client(registry);
        ImageCopier copier = new ImageCopier(client, client, Progress.NONE);
        new ImageCopier(client, client, Progress.NONE)
                .copy(ImageRef.parse(first.image(), "image"), registry.ref("guard/prod:live"), TagPolicy.IMMUTABLE);
        List<String> before = registry.storageListing();

        assertThatThrownBy(() -> copier.copy(registry.ref("guard/a:1"), registry.ref("guard/prod:x"), TagPolicy.IMMUTABLE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("image: ")
                .hasMessageContaining("has no digest");
        assertThatThrownBy(() -> copier.copy(ImageRef.parse(second.image(), "image"), registry.ref("guard/prod:live"),
                        TagPolicy.IMMUTABLE))
                .isInstanceOf(TagConflictException.class)
                .hasMessageContaining(first.digest().toString())
                .hasMessageContaining(second.digest().toString());
        assertThat(registry.storageListing()).isEqualTo(before);

        copier.copy(ImageRef.parse(second.image(), "image"), registry.ref("guard/prod:live"), TagPolicy.OVERWRITE);
        assertThat(Skopeo.inspectDigest(registry, "guard/prod:live")).isEqualTo(second.digest());
    }

    private static long sumOfBlobs(PushResult pushed) {
        Manifest manifest = client(registry).getManifest(ImageRef.parse(pushed.image(), "image").repository(),
                pushed.digest().toString());
        return manifest.blobs().stream().mapToLong(Descriptor::size).sum();
    }

    private PushResult push(RegistryServer server, String repositoryAndTag, Map<String, String> files) {
        Path layout = Umoci.imageWithFiles(work.resolve(repositoryAndTag.replaceAll("[/:]", "_")), "v1", files);
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ImagePusher(client(server), Progress.NONE).push(archive, server.ref(repositoryAndTag),
                    TagPolicy.IMMUTABLE);
        }
    }

    private static RegistryClient client(RegistryServer server) {
        return new RegistryClient(server.host(), server.connection());
    }
}
