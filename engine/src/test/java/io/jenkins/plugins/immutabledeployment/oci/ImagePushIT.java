package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.testing.Archives;
import io.jenkins.plugins.immutabledeployment.testing.Command;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to the real docker-registry, with skopeo as the judge of what arrived. */
class ImagePushIT {

    @AutoClose
    private static final RegistryServer registry = RegistryServer.plain();
    @TempDir
    Path work;

    @Test
    void pushedLayoutHasTheDigestSkopeoSeesAndSkopeoCopiesItBackIdentically() throws IOException {
        Path layout = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("app/hello.txt", "hello"));
        List<String> progress = new ArrayList<>();

        PushResult result;
        List<String> expectedBlobs = new ArrayList<>();
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            result = pusher(progress::add).push(archive, registry.ref("shop/api:1.0"), TagPolicy.IMMUTABLE);
            assertThat(result.digest()).isEqualTo(archive.root().digest());
            expectedBlobs.add(archive.root().digest().hex());
            archive.blobs().forEach(blob -> expectedBlobs.add(blob.digest().hex()));
        }

        assertThat(result.image()).isEqualTo(registry.host() + "/shop/api@" + result.digest());
        assertThat(result.tag()).isEqualTo("1.0");
        assertThat(result.blobsUploaded()).isEqualTo(2);
        assertThat(Skopeo.inspectDigest(registry, "shop/api:1.0")).isEqualTo(result.digest());
        assertThat(progress).anyMatch(line -> line.contains("uploaded"));

        Path copied = work.resolve("copied");
        Skopeo.copyToOciLayout(registry, "shop/api@" + result.digest(), copied, "v1");
        assertThat(blobDigests(copied)).containsExactlyInAnyOrderElementsOf(expectedBlobs);
        for (String hex : expectedBlobs) {
            assertThat(copied.resolve("blobs/sha256/" + hex)).hasSameBinaryContentAs(layout.resolve("blobs/sha256/" + hex));
        }
    }

    @Test
    void pushesOciArchiveAndBothDockerSaveFormats() {
        Path layout = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("etc/motd", "formats"));
        Digest layoutDigest;
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            layoutDigest = archive.root().digest();
        }
        Path ociTar = Archives.ociArchive(layout, work.resolve("oci.tar"));
        Path newDocker = Archives.dockerSaveOciLayout(layout, work.resolve("docker-oci.tar"));
        Path oldDocker = Archives.dockerSave(layout, work.resolve("docker.tar"), "shop/api:old");
        Path gzipped = work.resolve("oci.tar.gz");
        Command.run(List.of("sh", "-c", "gzip -c " + ociTar + " > " + gzipped));

        assertThat(pushAndInspect(ociTar, "formats/oci:1")).isEqualTo(layoutDigest);
        assertThat(pushAndInspect(newDocker, "formats/docker-oci:1")).isEqualTo(layoutDigest);
        assertThat(pushAndInspect(gzipped, "formats/gzip:1")).isEqualTo(layoutDigest);

        Digest dockerDigest = pushAndInspect(oldDocker, "formats/docker:1");
        assertThat(dockerDigest).isNotEqualTo(layoutDigest);
        assertThat(Skopeo.inspectRaw(registry, "formats/docker:1")).contains(MediaTypes.DOCKER_MANIFEST);
        // skopeo can read and convert what we made of the docker save tarball.
        Skopeo.copyToOciLayoutConverting(registry, "formats/docker:1", work.resolve("from-docker"), "v1");
        // Pushing the same tarball again yields the same digest: our manifest bytes are deterministic.
        assertThat(pushAndInspect(oldDocker, "formats/docker:again")).isEqualTo(dockerDigest);
    }

    @Test
    void uploadsInChunksWhenAChunkSizeIsSet() {
        Path layout = Umoci.imageWithRandomLayer(work.resolve("chunks"), "v1", 200_000, 42);
        List<String> progress = new ArrayList<>();
        RegistryClient client = new RegistryClient(registry.host(), registry.connection().withChunkSize(64 << 10));

        PushResult result;
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            result = new ImagePusher(client, progress::add).push(archive, registry.ref("chunked/app:1"), TagPolicy.IMMUTABLE);
        }

        // Progress within a blob is reported by time and share (TransferProgressTest), not per chunk.
        assertThat(progress).anyMatch(line -> line.contains(": uploaded "));
        assertThat(registry.accessLog()).filteredOn(line -> line.contains("\"PATCH /v2/chunked/app/blobs/uploads/"))
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(Skopeo.inspectDigest(registry, "chunked/app:1")).isEqualTo(result.digest());
    }

    @Test
    void pushesMultiPlatformIndexWhole() throws IOException {
        Path layout = Umoci.multiPlatformImage(work.resolve("multi"), "1", Map.of("amd64", "amd64", "arm64", "arm64"));

        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            assertThat(archive.root().isIndex()).isTrue();
            assertThat(archive.manifests()).hasSize(3);
            PushResult result = pusher(Progress.NONE).push(archive, registry.ref("multi/app:1"), TagPolicy.IMMUTABLE);

            assertThat(result.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
            assertThat(Digest.sha256(Skopeo.inspectRaw(registry, "multi/app:1").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isEqualTo(result.digest());
            for (Descriptor child : archive.root().manifests()) {
                assertThat(Skopeo.inspectDigest(registry, "multi/app@" + child.digest())).isEqualTo(child.digest());
            }
        }
    }

    @Test
    void pushesTheImageALayoutRefNamesAsSkopeoCopiesIt() throws IOException {
        Path layout = work.resolve("two");
        Umoci.imageWithFiles(work.resolve("a"), "v1", Map.of("which", "first"));
        Umoci.imageWithFiles(work.resolve("b"), "v1", Map.of("which", "second"));
        Skopeo.copyOciLayout(work.resolve("a"), "v1", layout, "v1");
        Skopeo.copyOciLayout(work.resolve("b"), "v1", layout, "v2");
        Skopeo.copyFromOciLayout(layout, "v2", registry, "two/skopeo:v2");

        PushResult pushed;
        try (ImageArchive archive = ArchiveLocation.parse(layout + ":v2", work, "archive").open("archive")) {
            pushed = pusher(Progress.NONE).push(archive, registry.ref("two/ours:v2"), TagPolicy.IMMUTABLE);
        }

        assertThat(pushed.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(Skopeo.inspectDigest(registry, "two/ours:v2")).isEqualTo(Skopeo.inspectDigest(registry, "two/skopeo:v2"));
        assertThat(Skopeo.inspectRaw(registry, "two/ours:v2")).doesNotContain("org.opencontainers.image.ref.name");
        assertThatThrownBy(() -> ImageArchive.open(layout, "archive"))
                .hasMessageContaining("holds 2 images (v1, v2); name the one to push as PATH:REF");
    }

    @Test
    void immutableTagRefusesADifferentDigestBeforeWritingAndOverwriteMovesIt() {
        Path first = Umoci.imageWithFiles(work.resolve("first"), "v1", Map.of("f", "first"));
        Path second = Umoci.imageWithFiles(work.resolve("second"), "v1", Map.of("f", "second"));
        ImageRef target = registry.ref("tags/app:stable");
        Digest firstDigest = push(first, target, TagPolicy.IMMUTABLE).digest();
        List<String> storageBefore = registry.storageListing();

        assertThatThrownBy(() -> push(second, target, TagPolicy.IMMUTABLE))
                .isInstanceOf(TagConflictException.class)
                .hasMessageContaining(firstDigest.toString())
                .hasMessageContaining(archiveDigest(second).toString());
        assertThat(registry.storageListing()).isEqualTo(storageBefore);
        assertThat(Skopeo.inspectDigest(registry, "tags/app:stable")).isEqualTo(firstDigest);

        // The same digest again is no conflict, and uploads nothing.
        assertThat(push(first, target, TagPolicy.IMMUTABLE).blobsUploaded()).isZero();

        PushResult moved = push(second, target, TagPolicy.OVERWRITE);
        assertThat(Skopeo.inspectDigest(registry, "tags/app:stable")).isEqualTo(moved.digest());
    }

    @Test
    void pushWithoutTagStoresByDigestOnly() {
        Path layout = Umoci.imageWithFiles(work.resolve("untagged"), "v1", Map.of("u", "untagged"));
        PushResult result = push(layout, registry.ref("untagged/app"), TagPolicy.IMMUTABLE);

        assertThat(result.tag()).isNull();
        assertThat(Skopeo.inspectDigest(registry, "untagged/app@" + result.digest())).isEqualTo(result.digest());
        assertThat(new RegistryClient(registry.host(), registry.connection()).listTags("untagged/app")).isEmpty();
    }

    @Test
    void attachesAnArtifactWithSubjectListsTagsAndDeletesAgainstTheRealRegistry() {
        Path layout = Umoci.imageWithFiles(work.resolve("ops"), "v1", Map.of("o", "ops"));
        PushResult image = push(layout, registry.ref("ops/app:1"), TagPolicy.IMMUTABLE);
        RegistryClient client = new RegistryClient(registry.host(), registry.connection());
        client.ping();

        Descriptor empty = client.uploadBlob("ops/app", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                MediaTypes.OCI_EMPTY);
        Descriptor payload = client.uploadBlob("ops/app", "{\"k\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/vnd.example+json");
        Manifest artifact = Manifest.imageManifest(MediaTypes.OCI_MANIFEST, empty, List.of(payload),
                "application/vnd.example", client.getManifest("ops/app", "1").descriptor(), Map.of("a", "b"));

        assertThat(client.putManifestWithSubject("ops/app", artifact)).as("no OCI-Subject from distribution 2.8").isFalse();
        assertThat(client.getManifest("ops/app", artifact.digest().toString()).subject().orElseThrow().digest())
                .isEqualTo(image.digest());
        assertThat(client.referrers("ops/app", image.digest(), null)).as("no referrers API in distribution 2.8").isEmpty();
        assertThat(client.getBlob("ops/app", payload.digest(), 1024)).asString().isEqualTo("{\"k\":1}");

        client.putManifest("ops/app", "2", client.getManifest("ops/app", "1"));
        assertThat(client.listTags("ops/app")).containsExactlyInAnyOrder("1", "2");
        assertThat(client.deleteManifest("ops/app", artifact.digest())).isTrue();
        assertThat(client.findManifest("ops/app", artifact.digest().toString())).isEmpty();
        assertThat(client.deleteManifest("ops/app", artifact.digest())).isFalse();
        assertThat(client.listTags("ops/none")).isEmpty();
    }

    @Test
    void refusesDigestInPushTarget() {
        Path layout = Umoci.imageWithFiles(work.resolve("l"), "v1", Map.of("x", "x"));
        ImageRef pinned = registry.ref("shop/api@sha256:" + "a".repeat(64));

        assertThatThrownBy(() -> push(layout, pinned, TagPolicy.IMMUTABLE))
                .isInstanceOf(io.jenkins.plugins.immutabledeployment.InvalidInputException.class)
                .hasMessageStartingWith("image: ");
    }

    private Digest pushAndInspect(Path archivePath, String repositoryAndTag) {
        PushResult result = push(archivePath, registry.ref(repositoryAndTag), TagPolicy.IMMUTABLE);
        Digest seen = Skopeo.inspectDigest(registry, repositoryAndTag);
        assertThat(seen).isEqualTo(result.digest());
        return seen;
    }

    private static PushResult push(Path archivePath, ImageRef target, TagPolicy policy) {
        try (ImageArchive archive = ImageArchive.open(archivePath, "archive")) {
            return pusher(Progress.NONE).push(archive, target, policy);
        }
    }

    private static Digest archiveDigest(Path archivePath) {
        try (ImageArchive archive = ImageArchive.open(archivePath, "archive")) {
            return archive.root().digest();
        }
    }

    private static ImagePusher pusher(Progress progress) {
        return new ImagePusher(new RegistryClient(registry.host(), registry.connection()), progress);
    }

    private static List<String> blobDigests(Path layout) throws IOException {
        try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
