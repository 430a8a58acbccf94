package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.testing.Command;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives written by the test byte by byte, and tars made by GNU tar (PAX long names, symbolic links). */
class ImageArchiveTest {

    @TempDir
    Path dir;

    @Test
    void readsLayoutDirectoryAndStreamsBlobs() throws IOException {
        Layout layout = Layout.write(dir.resolve("layout"), "layer bytes");

        try (ImageArchive archive = ImageArchive.open(layout.root, "archive")) {
            assertThat(archive.format()).isEqualTo(ImageArchive.Format.OCI_LAYOUT);
            assertThat(archive.root()).satisfies(m -> assertThat(m.digest()).isEqualTo(layout.manifest.digest()));
            assertThat(archive.blobs()).extracting(BlobSource::digest).containsExactly(layout.config, layout.layer);
            BlobSource layer = archive.blobs().stream().filter(b -> b.digest().equals(layout.layer)).findFirst().orElseThrow();
            try (InputStream in = layer.open()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("layer bytes");
            }
            assertThat(archive.size()).isEqualTo(layout.manifest.size() + 2 + "layer bytes".length());
        }
    }

    @Test
    void indexesPaxAndGnuLongNamesAndFollowsSymbolicLinks() throws IOException {
        String longDirectory = "d".repeat(170);
        Path deep = Files.createDirectories(dir.resolve("content/" + longDirectory));
        Files.writeString(deep.resolve("layer"), "x".repeat(5000));
        Path links = Files.createDirectories(dir.resolve("content/blobs/sha256"));
        Files.createSymbolicLink(links.resolve("abc"), Path.of("../../" + longDirectory + "/layer"));

        for (String format : List.of("pax", "gnu")) {
            Path tar = dir.resolve(format + ".tar");
            Command.run(List.of("tar", "--format=" + format, "-cf", tar.toString(), "-C", dir.resolve("content").toString(), "."));

            TarIndex index = TarIndex.read(tar).orElseThrow();
            assertThat(index.find(longDirectory + "/layer")).get().extracting(TarIndex.Entry::size).isEqualTo(5000L);
            assertThat(index.find("./blobs/sha256/abc")).isEqualTo(index.find(longDirectory + "/layer"));
            assertThat(index.find("blobs/sha256/missing")).isEmpty();
        }
    }

    @Test
    void readsOciArchiveTar() throws IOException {
        Layout layout = Layout.write(dir.resolve("layout"), "in a tar");
        Path tar = dir.resolve("oci.tar");
        Command.run(List.of("tar", "-cf", tar.toString(), "-C", layout.root.toString(), "."));

        try (ImageArchive archive = ImageArchive.open(tar, "archive")) {
            assertThat(archive.format()).isEqualTo(ImageArchive.Format.OCI_ARCHIVE);
            assertThat(archive.root().digest()).isEqualTo(layout.manifest.digest());
        }
    }

    @Test
    void picksOneImageOfALayoutThatHoldsSeveralByItsRefNameAndRefusesToGuess() throws IOException {
        Layout v1 = Layout.write(dir.resolve("layout"), "first");
        Layout v2 = Layout.write(dir.resolve("second"), "second");
        Command.run(List.of("cp", "-r", v2.root + "/blobs", v1.root.toString()));
        Files.write(v1.root.resolve("index.json"), Manifest.index(MediaTypes.OCI_INDEX,
                List.of(named(v1.manifest, "v1"), named(v2.manifest, "v2")), null, null, null).bytes());
        Path tar = tar(v1.root);

        assertRefused(v1.root, "holds 2 images (v1, v2); name the one to push as PATH:REF");
        assertRefused(tar, "holds 2 images (v1, v2)");
        assertThatThrownBy(() -> ImageArchive.open(v1.root, "v3", "archive"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no image named \"v3\" (org.opencontainers.image.ref.name); it holds v1, v2");
        for (Path path : List.of(v1.root, tar)) {
            try (ImageArchive second = ImageArchive.open(path, "v2", "archive")) {
                assertThat(second.root().digest()).isEqualTo(v2.manifest.digest());
                assertThat(second.manifests()).extracting(Manifest::digest).containsExactly(v2.manifest.digest());
                assertThat(second.blobs()).extracting(BlobSource::digest).containsExactlyInAnyOrder(v2.config, v2.layer);
            }
        }
        try (ImageArchive first = ArchiveLocation.parse(v1.root + ":v1", dir, "archive").open("archive")) {
            assertThat(first.root().digest()).isEqualTo(v1.manifest.digest());
        }
    }

    @Test
    void aLayoutWithOneImageNeedsNoRefAndTheSameImageUnderTwoRefsIsOne() throws IOException {
        Layout layout = Layout.write(dir.resolve("layout"), "one");
        Files.write(layout.root.resolve("index.json"), Manifest.index(MediaTypes.OCI_INDEX,
                List.of(named(layout.manifest, "latest"), named(layout.manifest, "1.0")), null, null, null).bytes());

        try (ImageArchive archive = ImageArchive.open(layout.root, "archive")) {
            assertThat(archive.root().digest()).isEqualTo(layout.manifest.digest());
        }
    }

    @Test
    void readsPathAndRefLikeSkopeoAndTakesAnExistingPathWhole() throws IOException {
        Path layout = Files.createDirectories(dir.resolve("app"));
        Path withColon = Files.createDirectories(dir.resolve("odd:name"));

        assertThat(ArchiveLocation.parse("app", dir, "archive")).isEqualTo(new ArchiveLocation(layout, null));
        assertThat(ArchiveLocation.parse("app:v1", dir, "archive")).isEqualTo(new ArchiveLocation(layout, "v1"));
        assertThat(ArchiveLocation.parse(layout + ":registry.example.com/shop/api:1.0", dir, "archive"))
                .isEqualTo(new ArchiveLocation(layout, "registry.example.com/shop/api:1.0"));
        assertThat(ArchiveLocation.parse("odd:name", dir, "archive")).isEqualTo(new ArchiveLocation(withColon, null));
        assertThat(ArchiveLocation.parse("odd:name:v2", dir, "archive")).isEqualTo(new ArchiveLocation(withColon, "v2"));
        assertThat(ArchiveLocation.parse("missing:v1", dir, "archive").image()).as("no such path: taken whole").isNull();
        assertThatThrownBy(() -> ArchiveLocation.parse("app:", dir, "archive"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty or unprintable REF");
    }

    @Test
    void picksADockerSaveImageByItsRepositoryTag() throws IOException {
        Path several = Files.createDirectories(dir.resolve("tagged"));
        Files.writeString(several.resolve("a.json"), "{\"rootfs\":{\"diff_ids\":[]}}");
        Files.writeString(several.resolve("b.json"), "{\"rootfs\":{\"diff_ids\":[]},\"b\":1}");
        Files.writeString(several.resolve("manifest.json"), "[{\"Config\":\"a.json\",\"RepoTags\":[\"shop/api:1\"],\"Layers\":[]},"
                + "{\"Config\":\"b.json\",\"RepoTags\":[\"shop/api:2\",\"shop/api:latest\"],\"Layers\":[]}]");
        Path tar = tar(several);

        assertRefused(tar, "holds 2 images (shop/api:1; shop/api:2, shop/api:latest); name the one to push as PATH:REPO:TAG");
        try (ImageArchive second = ImageArchive.open(tar, "docker.io/shop/api:latest", "archive")) {
            assertThat(second.blobs()).extracting(BlobSource::digest)
                    .containsExactly(Digest.sha256(Files.readAllBytes(several.resolve("b.json"))));
        }
        assertThatThrownBy(() -> ImageArchive.open(tar, "shop/api:3", "archive"))
                .hasMessageContaining("has no image tagged \"shop/api:3\"; it holds shop/api:1; shop/api:2, shop/api:latest");
    }

    private static Descriptor named(Manifest manifest, String ref) {
        return new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), null,
                java.util.Map.of("org.opencontainers.image.ref.name", ref), null);
    }

    @Test
    void refusesBrokenLayoutsNamingTheProblem() throws IOException {
        Layout missing = Layout.write(dir.resolve("missing"), "gone");
        Files.delete(missing.root.resolve("blobs/sha256/" + missing.layer.hex()));
        Layout wrongSize = Layout.write(dir.resolve("size"), "short");
        Files.writeString(wrongSize.root.resolve("blobs/sha256/" + wrongSize.layer.hex()), "longer than it says");
        Layout tampered = Layout.write(dir.resolve("tampered"), "t");
        Files.writeString(tampered.root.resolve("blobs/sha256/" + tampered.manifest.digest().hex()),
                new String(tampered.manifest.bytes(), StandardCharsets.UTF_8).replace("\"schemaVersion\":2", "\"schemaVersion\":3"));
        Path notTar = Files.writeString(dir.resolve("random.bin"), "this is not an archive at all".repeat(40));
        Path emptyDir = Files.createDirectories(dir.resolve("empty"));

        assertRefused(missing.root, "lacks blob " + missing.layer);
        assertRefused(wrongSize.root, "descriptor says 5");
        assertRefused(tampered.root, "does not match its digest");
        assertRefused(notTar, "is not a tar file");
        assertRefused(emptyDir, "holds neither an OCI layout");
        assertRefused(dir.resolve("nowhere"), "does not exist");
    }

    @Test
    void refusesDockerSaveWithSeveralImagesOrLayersThatContradictTheConfig() throws IOException {
        Path several = Files.createDirectories(dir.resolve("several"));
        Files.writeString(several.resolve("manifest.json"), "[{\"Config\":\"c.json\",\"Layers\":[]},{\"Config\":\"c.json\",\"Layers\":[]}]");
        Path contradicting = Files.createDirectories(dir.resolve("contradicting"));
        Files.writeString(contradicting.resolve("c.json"), "{\"rootfs\":{\"diff_ids\":[\"sha256:" + "0".repeat(64) + "\"]}}");
        Files.createDirectories(contradicting.resolve("l"));
        Files.writeString(contradicting.resolve("l/layer.tar"), "not the layer the config describes");
        Files.writeString(contradicting.resolve("manifest.json"), "[{\"Config\":\"c.json\",\"Layers\":[\"l/layer.tar\"]}]");

        assertRefused(tar(several), "holds 2 images (an untagged image; an untagged image)");
        assertRefused(tar(contradicting), "differs from the config's diff_id");
    }

    @Test
    void dockerSaveManifestIsMadeDeterministically() throws IOException {
        Path save = Files.createDirectories(dir.resolve("save"));
        byte[] layer = "plain tar bytes".getBytes(StandardCharsets.UTF_8);
        Files.writeString(save.resolve("c.json"), "{\"rootfs\":{\"diff_ids\":[\"" + Digest.sha256(layer) + "\"]}}");
        Files.createDirectories(save.resolve("l"));
        Files.write(save.resolve("l/layer.tar"), layer);
        Files.writeString(save.resolve("manifest.json"), "[{\"Config\":\"c.json\",\"RepoTags\":[\"a:b\"],\"Layers\":[\"l/layer.tar\"]}]");
        Path tar = tar(save);

        try (ImageArchive first = ImageArchive.open(tar, "archive"); ImageArchive second = ImageArchive.open(tar, "archive");
             ImageArchive extracted = ImageArchive.open(save, "archive")) {
            assertThat(first.format()).isEqualTo(ImageArchive.Format.DOCKER_ARCHIVE);
            assertThat(first.root().bytes()).isEqualTo(second.root().bytes()).isEqualTo(extracted.root().bytes());
            assertThat(first.root().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
            assertThat(first.root().layers()).singleElement().satisfies(d -> {
                assertThat(d.mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER_TAR);
                assertThat(d.digest()).isEqualTo(Digest.sha256(layer));
            });
        }
    }

    @Test
    void refusesTarEntryThatClimbsOutOfTheArchiveNamingIt() throws IOException {
        Layout layout = Layout.write(dir.resolve("content"), "climbing");
        Files.writeString(dir.resolve("outside"), "not part of the image");
        Path tar = dir.resolve("climbing.tar");
        Command.run(List.of("tar", "-P", "-cf", tar.toString(), "-C", layout.root.toString(), ".", "../outside"));

        assertRefused(tar, "the tar entry \"../outside\" has a .. in its path");
    }

    @Test
    void refusesBlobThatIsASymbolicLinkNamingIt() throws IOException {
        Layout layout = Layout.write(dir.resolve("linked"), "linked layer");
        Path blob = layout.root.resolve("blobs/sha256/" + layout.layer.hex());
        Files.move(blob, layout.root.resolve("layer-copy"));
        Files.createSymbolicLink(blob, Path.of("../../layer-copy"));

        assertRefused(layout.root, "the blob blobs/sha256/" + layout.layer.hex() + " is a symbolic link");
        assertRefused(tar(layout.root), "the blob blobs/sha256/" + layout.layer.hex() + " is a symbolic link");
    }

    private Path tar(Path directory) {
        Path tar = dir.resolve(directory.getFileName() + ".tar");
        Command.run(List.of("tar", "-cf", tar.toString(), "-C", directory.toString(), "."));
        return tar;
    }

    private static void assertRefused(Path path, String problem) {
        assertThatThrownBy(() -> ImageArchive.open(path, "archive").close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("archive: ")
                .hasMessageContaining(problem)
                .hasMessageContaining("expected an OCI image layout directory");
    }

    /** A one-image OCI layout written byte by byte. */
    record Layout(Path root, Manifest manifest, Digest config, Digest layer) {
        static Layout write(Path root, String layerContent) throws IOException {
            byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
            byte[] layer = layerContent.getBytes(StandardCharsets.UTF_8);
            Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
            Descriptor layerDescriptor = Descriptor.of(MediaTypes.OCI_LAYER_TAR, Digest.sha256(layer), layer.length);
            Manifest manifest = Manifest.imageManifest(MediaTypes.OCI_MANIFEST, configDescriptor,
                    List.of(layerDescriptor), null, null, null);
            Path blobs = Files.createDirectories(root.resolve("blobs/sha256"));
            Files.write(blobs.resolve(configDescriptor.digest().hex()), config);
            Files.write(blobs.resolve(layerDescriptor.digest().hex()), layer);
            Files.write(blobs.resolve(manifest.digest().hex()), manifest.bytes());
            Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.write(root.resolve("index.json"), Manifest.index(MediaTypes.OCI_INDEX,
                    List.of(manifest.descriptor()), null, null, null).bytes());
            return new Layout(root, manifest, configDescriptor.digest(), layerDescriptor.digest());
        }
    }
}
