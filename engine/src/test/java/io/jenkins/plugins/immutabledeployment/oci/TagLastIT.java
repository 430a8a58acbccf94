package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.attestation.ReleasePublisher;
import io.jenkins.plugins.immutabledeployment.promotion.Promoter;
import io.jenkins.plugins.immutabledeployment.promotion.Promotion;
import io.jenkins.plugins.immutabledeployment.testing.BehindFaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.FaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.TestImages;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that end in a tag write it last, onto a manifest stored by digest and read back, and prove it by reading
 * the tag back: a body changed on its way, attestations that cannot be written, another writer, a corrupt archive
 * and an interrupted upload leave no tag that was not there, and no upload session open.
 */
class TagLastIT extends BehindFaultProxy {

    private final List<String> progress = new CopyOnWriteArrayList<>();
    @TempDir
    Path work;

    @Test
    void tagWriteChangedOnTheWayIsWrittenAgainOntoTheDigestSent() {
        Manifest manifest = annotatedImage("changed/source", "first");
        proxy.tamperRequest("PUT", "/v2/changed/copy/manifests/1", 1);

        CopyResult copy = new ImageCopier(throughProxy(), throughProxy(), progress::add).copy(
                viaProxy("changed/source").withDigest(manifest.digest()), viaProxy("changed/copy:1"), TagPolicy.IMMUTABLE);

        assertThat(proxy.faultsInjected()).isEqualTo(1);
        assertThat(copy.digest()).isEqualTo(manifest.digest());
        assertThat(direct().resolveVerified("changed/copy", "1")).contains(manifest.digest());
        assertThat(progress).anyMatch(line -> line.contains("written again"));
    }

    @Test
    void tagWriteThatKeepsChangingOnTheWayRemovesTheTagItCreatedAndSaysSo() {
        Manifest manifest = annotatedImage("mangled/source", "second");
        proxy.tamperRequest("PUT", "/v2/mangled/copy/manifests/1", FaultProxy.FOREVER);

        assertThatThrownBy(() -> new ImageCopier(throughProxy(), throughProxy(), progress::add).copy(
                viaProxy("mangled/source").withDigest(manifest.digest()), viaProxy("mangled/copy:1"), TagPolicy.IMMUTABLE))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("kept storing other bytes")
                .hasMessageContaining("the tag, which this operation created, was removed");
        assertThat(direct().listTags("mangled/copy")).isEmpty();
    }

    @Test
    void tagWriteThatKeepsChangingOnTheWayRestoresTheTagItMoved() {
        Manifest before = annotatedImage("moved/source", "before");
        Manifest after = annotatedImage("moved/source", "after");
        direct().putManifest("moved/source", "1", before);
        proxy.tamperRequest("PUT", "/v2/moved/source/manifests/1", TagWriter.WRITES);

        assertThatThrownBy(() -> new ImageCopier(throughProxy(), throughProxy(), progress::add).copy(
                viaProxy("moved/source").withDigest(after.digest()), viaProxy("moved/source:1"), TagPolicy.OVERWRITE))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("restored to " + before.digest());
        assertThat(direct().resolveVerified("moved/source", "1")).contains(before.digest());
    }

    @Test
    void provenanceThatCannotBeAttachedLeavesNoTag() {
        proxy.respond("PUT", "/v2/unattested/app/manifests/sha256-.*", 503, FaultProxy.FOREVER);

        assertThatThrownBy(() -> release(viaProxy("unattested/app:1")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 503");
        assertThat(direct().listTags("unattested/app")).noneMatch(tag -> tag.equals("1"));
    }

    @Test
    void promotionRecordThatCannotBeWrittenLeavesNoTag() {
        // No provenance to copy along: the promotion record's entry tag and referrers index are the only
        // tag-schema writes in the target.
        PushResult pushed = TestImages.push(direct(), registry.ref("unrecorded/app:1"), Map.of("u", "unrecorded"));
        ImageRef image = ImageRef.parse(registry.host() + "/unrecorded/app", "image").withDigest(pushed.digest());
        proxy.respond("PUT", "/v2/unrecorded/prod/manifests/sha256-.*", 503, FaultProxy.FOREVER);
        RegistryClient source = direct();

        assertThatThrownBy(() -> new Promoter(source, throughProxy(), Clock.systemUTC(), progress::add)
                .promote(Promotion.of(image, viaProxy("unrecorded/prod:1"), "production")))
                .isInstanceOf(RegistryException.class);
        assertThat(direct().listTags("unrecorded/prod")).noneMatch(tag -> tag.equals("1"));
    }

    @Test
    void tagMovedByAnotherWriterRightAfterOursIsATagConflictNamingTheWinner() {
        Manifest ours = annotatedImage("race/app", "ours");
        Manifest theirs = annotatedImage("race/app", "theirs");
        proxy.after("PUT", "/v2/race/app/manifests/1", 1, () -> direct().putManifest("race/app", "1", theirs));

        assertThatThrownBy(() -> new ImageCopier(throughProxy(), throughProxy(), progress::add).copy(
                viaProxy("race/app").withDigest(ours.digest()), viaProxy("race/app:1"), TagPolicy.IMMUTABLE))
                .isInstanceOf(TagConflictException.class)
                .hasMessageContaining(theirs.digest().toString())
                .hasMessageContaining("won");
        assertThat(direct().resolveVerified("race/app", "1")).contains(theirs.digest());
    }

    @Test
    void archiveBlobWithAFlippedByteIsRefusedEvenWhenTheRegistryHasTheRealOne() throws IOException {
        Path layout = Umoci.imageWithFiles(work.resolve("flipped"), "v1", Map.of("f", "flipped"));
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            new ImagePusher(direct(), Progress.NONE).push(archive, registry.ref("flipped/app:1"), TagPolicy.IMMUTABLE);
        }
        Digest config = flipFirstByteOfConfig(layout);

        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            assertThatThrownBy(() -> new ImagePusher(throughProxy(), Progress.NONE)
                    .push(archive, viaProxy("flipped/app:2"), TagPolicy.IMMUTABLE))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(config.toString())
                    .hasMessageContaining("as read from its source");
        }
        assertThat(direct().listTags("flipped/app")).containsExactly("1");
    }

    @Test
    void archiveBlobWithAFlippedByteIsNeverCompletedInTheRegistry() throws IOException {
        Path layout = Umoci.imageWithFiles(work.resolve("unsent"), "v1", Map.of("u", "unsent"));
        Digest config = flipFirstByteOfConfig(layout);

        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            assertThatThrownBy(() -> new ImagePusher(throughProxy(), Progress.NONE)
                    .push(archive, viaProxy("unsent/app:1"), TagPolicy.IMMUTABLE))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(config.toString())
                    .hasMessageNotContaining("DIGEST_INVALID");
        }
        assertThat(direct().listTags("unsent/app")).isEmpty();
        assertThat(direct().blobExists("unsent/app", config)).as("the config blob completed").isFalse();
        assertThat(proxy.requests()).anyMatch(request -> request.startsWith("DELETE /v2/unsent/app/blobs/uploads/"));
    }

    @Test
    void failedUploadsCancelTheirUploadSessions() {
        proxy.respond("PUT", "/v2/cancelled/app/blobs/uploads/.*", 500, FaultProxy.FOREVER);
        Path layout = Umoci.imageWithFiles(work.resolve("cancelled"), "v1", Map.of("c", "cancelled"));

        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            assertThatThrownBy(() -> new ImagePusher(throughProxy(), Progress.NONE)
                    .push(archive, viaProxy("cancelled/app:1"), TagPolicy.IMMUTABLE))
                    .isInstanceOf(RegistryException.class);
        }
        assertThat(proxy.requests()).anyMatch(request -> request.startsWith("DELETE /v2/cancelled/app/blobs/uploads/"));
        assertThat(registry.storageListing()).as("open upload sessions (a cancelled one keeps a hash state file)")
                .noneMatch(path -> path.contains("/cancelled/app/_uploads/") && path.endsWith("/startedat"));
    }

    @Test
    void interruptedUploadCancelsItsUploadSession() throws InterruptedException {
        proxy.stall("PUT", "/v2/interrupted/app/blobs/uploads/.*", Duration.ofSeconds(30), FaultProxy.FOREVER);

        // The push ends once its uploads have cancelled their sessions, waiting for that at most CLEAN_UP_WAIT.
        pushInterruptedAt("interrupted/app", "PUT", ParallelTasks.CLEAN_UP_WAIT.plusSeconds(10));

        List<String> requests = proxy.requests();
        assertThat(requests).anyMatch(request -> request.startsWith("DELETE /v2/interrupted/app/blobs/uploads/"));
        // A session whose POST was answered after the interrupt is one the client never learned of.
        assertThat(registry.openUploadSessions("interrupted/app")).as("sessions the client used and left open")
                .noneMatch(session -> requests.stream().anyMatch(r -> r.endsWith(session)));
        assertThat(direct().listTags("interrupted/app")).isEmpty();
    }

    /** The registry opens the session when the POST arrives; a client that dropped the answer could not cancel it. */
    @Test
    void uploadInterruptedWhileItsSessionOpensCancelsThatSession() throws InterruptedException {
        proxy.latency(Duration.ofMillis(500));

        pushInterruptedAt("opening/app", "POST", ParallelTasks.CLEAN_UP_WAIT.plusSeconds(10));

        assertThat(registry.openUploadSessions("opening/app")).as("upload sessions left open").isEmpty();
        assertThat(direct().listTags("opening/app")).isEmpty();
    }

    /** A registry that never answers the POST does not hold an interrupted push for longer than a bounded wait. */
    @Test
    void uploadInterruptedWhileItsSessionNeverOpensEndsAfterABoundedWait() throws InterruptedException {
        proxy.stall("POST", "/v2/unanswered/app/blobs/uploads/", Duration.ofSeconds(90), FaultProxy.FOREVER);

        pushInterruptedAt("unanswered/app", "POST", RegistryHttp.ANSWER_WAIT_WHEN_INTERRUPTED.plusSeconds(20));
    }

    /**
     * Pushes a one-file image to {@code REPOSITORY:1} on a thread of its own, interrupts it once the proxy has seen an
     * upload request ({@code METHOD …/blobs/uploads/…}), and checks that the push ended within {@code wait}, failing
     * as interrupted.
     */
    private void pushInterruptedAt(String repository, String method, Duration wait) throws InterruptedException {
        Path layout = Umoci.imageWithFiles(work.resolve(repository.replace('/', '-')), "v1", Map.of("f", repository));
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread pusher = new Thread(() -> {
            try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
                new ImagePusher(throughProxy(), Progress.NONE).push(archive, viaProxy(repository + ":1"),
                        TagPolicy.IMMUTABLE);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        });
        pusher.start();
        awaitRequest(method + " /v2/" + repository + "/blobs/uploads/");
        pusher.interrupt();
        pusher.join(wait.toMillis());

        assertThat(pusher.isAlive()).as(() -> "the pusher still runs: " + threads()).isFalse();
        assertThat(failures).singleElement().isInstanceOf(RegistryInterruptedException.class);
    }

    private static String threads() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('\n').append(thread.getName()).append(' ').append(thread.getState());
            for (StackTraceElement frame : stack) {
                dump.append("\n    at ").append(frame);
            }
        });
        return dump.toString();
    }

    private void awaitRequest(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (proxy.requests().stream().noneMatch(r -> r.startsWith(prefix))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + prefix + " within 20 s: " + proxy.requests());
            }
            Thread.onSpinWait();
            Thread.sleep(5);
        }
    }

    /**
     * An image whose manifest carries a long annotation around its middle, so that a byte changed there still
     * leaves a manifest the registry stores (under another digest).
     */
    private static Manifest annotatedImage(String repository, String note) {
        RegistryClient client = direct();
        Descriptor config = client.uploadBlob(repository, "{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
        Descriptor layer = client.uploadBlob(repository, note.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_LAYER_TAR);
        Manifest manifest = Manifest.imageManifest(MediaTypes.OCI_MANIFEST, config, List.of(layer), null, null,
                Map.of("note", note + "-" + "x".repeat(4000)));
        client.putManifest(repository, manifest.digest().toString(), manifest);
        return manifest;
    }

    /** Changes the first byte of the config blob of the layout's image, in place; returns the config's digest. */
    private static Digest flipFirstByteOfConfig(Path layout) throws IOException {
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            Descriptor config = archive.root().config().orElseThrow();
            Path file = layout.resolve("blobs/sha256/" + config.digest().hex());
            byte[] bytes = Files.readAllBytes(file);
            bytes[0] ^= 0x01;
            file.toFile().setWritable(true);
            Files.write(file, bytes);
            return config.digest();
        }
    }

    private Digest release(ImageRef target) {
        Path layout = Umoci.imageWithFiles(work.resolve("release-" + target.repository().replace('/', '-')), "v1",
                Map.of("r", target.toString()));
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            RegistryClient client = target.registry().equals(registry.host()) ? direct() : throughProxy();
            return new ReleasePublisher(client, Clock.systemUTC(), progress::add).push(archive, target,
                    TagPolicy.IMMUTABLE, ProvenanceInputs.of("https://ci.example.com/", "https://ci.example.com/job/1/",
                            "job").withStartedOn(Instant.now()), null, null).push().digest();
        }
    }

    private ImageRef viaProxy(String repositoryAndReference) {
        return ImageRef.parse(proxy.host() + "/" + repositoryAndReference, "image");
    }

    private RegistryClient throughProxy() {
        return new RegistryClient(proxy.host(), registry.connection().withSleeper(duration -> {}));
    }

    private static RegistryClient direct() {
        return new RegistryClient(registry.host(), registry.connection());
    }
}
