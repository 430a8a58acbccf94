package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.testing.BehindFaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.FaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Skopeo;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fault-injecting proxy in front of the real registry: tampered bytes, 503/429, dropped connections. */
class RegistryFaultsIT extends BehindFaultProxy {

    private static final String MANIFESTS = "/v2/.*/manifests/.*";
    private static final String BLOBS = "/v2/.*/blobs/sha256:.*";
    private static final String UPLOADS = "/v2/.*/blobs/uploads/.*";

    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    @TempDir
    Path work;

    @Test
    void tamperedManifestIsAnIntegrityErrorByDigestAndByTag() {
        PushResult pushed = pushDirectly("tamper/manifest:1", "m");
        proxy.tamper("GET", MANIFESTS, FaultProxy.FOREVER);
        RegistryClient client = throughProxy();

        assertThatThrownBy(() -> client.getManifest("tamper/manifest", pushed.digest().toString()))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining(pushed.digest().toString());
        assertThatThrownBy(() -> client.getManifest("tamper/manifest", "1"))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void tamperedBlobIsAnIntegrityError() throws IOException {
        PushResult pushed = pushDirectly("tamper/blob:1", "b");
        Manifest manifest = new RegistryClient(registry.host(), registry.connection())
                .getManifest("tamper/blob", pushed.digest().toString());
        Descriptor layer = manifest.layers().get(0);
        Descriptor config = manifest.config().orElseThrow();
        proxy.tamper("GET", BLOBS, FaultProxy.FOREVER);
        RegistryClient client = throughProxy();

        assertThatThrownBy(() -> client.getBlob("tamper/blob", config.digest(), 1 << 20))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining(config.digest().toString());
        try (InputStream in = client.openBlob("tamper/blob", layer.digest(), layer.size())) {
            assertThatThrownBy(() -> in.transferTo(java.io.OutputStream.nullOutputStream()))
                    .isInstanceOf(IOException.class)
                    .hasCauseInstanceOf(IntegrityException.class);
        }
    }

    @Test
    void tamperedSourceBlobFailsCrossRegistryCopyWithoutTag() {
        PushResult pushed = pushDirectly("tamper/source:1", "s");
        proxy.tamper("GET", BLOBS, FaultProxy.FOREVER);
        try (RegistryServer target = RegistryServer.plain()) {
            ImageCopier copier = new ImageCopier(throughProxy(), new RegistryClient(target.host(), target.connection()),
                    Progress.NONE);
            ImageRef source = ImageRef.parse(proxy.host() + "/tamper/source@" + pushed.digest(), "image");

            assertThatThrownBy(() -> copier.copy(source, target.ref("copied/app:1"), TagPolicy.IMMUTABLE))
                    .isInstanceOf(IntegrityException.class);
            assertThat(new RegistryClient(target.host(), target.connection()).resolve("copied/app", "1")).isEmpty();
        }
    }

    @Test
    void sameRegistryCopyUploadsWhatTheRegistryDeclinesToMount() {
        PushResult pushed = pushDirectly("mount/source:1", "declined");
        proxy.respond("POST", "/v2/.*/blobs/uploads/\\?.*mount=.*", 202, FaultProxy.FOREVER);
        RegistryClient client = throughProxy();

        CopyResult copy = new ImageCopier(client, client, Progress.NONE).copy(
                ImageRef.parse(proxy.host() + "/mount/source@" + pushed.digest(), "image"),
                ImageRef.parse(proxy.host() + "/mount/target:1", "to"), TagPolicy.IMMUTABLE);

        assertThat(proxy.faultsInjected()).isEqualTo(2);
        assertThat(copy.blobsMounted()).isZero();
        assertThat(copy.blobsCopied()).isEqualTo(2);
        assertThat(copy.bytesCopied()).isPositive();
        assertThat(Skopeo.inspectDigest(registry, "mount/target:1")).isEqualTo(pushed.digest());
    }

    @Test
    void pushSucceedsThrough503And429AndDroppedConnections() {
        proxy.respond("HEAD", BLOBS, 503, 2)
                .throttle("POST", "/v2/.*/blobs/uploads/", 2, 1)
                .drop("PUT", UPLOADS, 1)
                .respond("PUT", MANIFESTS, 502, 1)
                .drop("HEAD", MANIFESTS, 1);
        Path layout = Umoci.imageWithFiles(work.resolve("retry"), "v1", Map.of("r", "retry"));

        PushResult result = push(layout, ImageRef.parse(proxy.host() + "/retry/app:1", "image"));

        assertThat(proxy.faultsInjected()).isEqualTo(6);
        assertThat(Skopeo.inspectDigest(registry, "retry/app:1")).isEqualTo(result.digest());
        // One wait per fault (the JDK client itself re-sends a HEAD once on a dropped connection), and the
        // registry's Retry-After of 2 s honoured up to the test policy's cap.
        assertThat(sleeps).hasSizeBetween(5, 6).contains(Duration.ofMillis(100));
    }

    @Test
    void failsCleanlyWithoutTagWhenManifestPutFailsForever() {
        proxy.respond("PUT", MANIFESTS, 503, FaultProxy.FOREVER);
        Path layout = Umoci.imageWithFiles(work.resolve("forever"), "v1", Map.of("f", "forever"));

        assertThatThrownBy(() -> push(layout, ImageRef.parse(proxy.host() + "/forever/app:1", "image")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("after 3 attempts");
        assertThat(new RegistryClient(registry.host(), registry.connection()).resolve("forever/app", "1")).isEmpty();
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void failsCleanlyWithoutTagWhenBlobUploadsAreDroppedForever() {
        proxy.drop("PUT", UPLOADS, FaultProxy.FOREVER);
        Path layout = Umoci.imageWithFiles(work.resolve("dropped"), "v1", Map.of("d", "dropped"));

        assertThatThrownBy(() -> push(layout, ImageRef.parse(proxy.host() + "/dropped/app:1", "image")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("upload of blob")
                .hasMessageContaining("after 3 attempts");
        assertThat(new RegistryClient(registry.host(), registry.connection()).resolve("dropped/app", "1")).isEmpty();
    }

    private RegistryClient throughProxy() {
        return new RegistryClient(proxy.host(), registry.connection().withSleeper(sleeps::add));
    }

    private PushResult push(Path layout, ImageRef target) {
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ImagePusher(throughProxy(), Progress.NONE).push(archive, target, TagPolicy.IMMUTABLE);
        }
    }

    private PushResult pushDirectly(String repositoryAndTag, String content) {
        Path layout = Umoci.imageWithFiles(work.resolve("direct-" + content), "v1", Map.of("c", content));
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ImagePusher(new RegistryClient(registry.host(), registry.connection()), Progress.NONE)
                    .push(archive, registry.ref(repositoryAndTag), TagPolicy.IMMUTABLE);
        }
    }
}
