package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.testing.BehindFaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.FaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push asks whether the registry has its blobs while it checks the tag, so that the answers are in when the check
 * is, but writes nothing (no upload session) before the tag check has answered.
 */
class PushOverlapIT extends BehindFaultProxy {

    @TempDir
    Path work;

    @Test
    void blobChecksRunWhileTheTagCheckIsUnansweredAndNothingIsWrittenBeforeIt() throws InterruptedException {
        proxy.stall("GET", "/v2/overlap/app/manifests/1", Duration.ofSeconds(60), FaultProxy.FOREVER);
        Path layout = Umoci.imageWithFiles(work.resolve("overlap"), "v1", Map.of("o", "overlap"));
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread pusher = new Thread(() -> {
            try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
                new ImagePusher(throughProxy(), Progress.NONE).push(archive,
                        ImageRef.parse(proxy.host() + "/overlap/app:1", "image"), TagPolicy.IMMUTABLE);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        });
        pusher.start();
        try {
            // The tag check and the blob checks go at once, so the proxy may log them in any order: wait for all
            // three. The tag check is never answered, so the blob checks were sent while it was unanswered.
            awaitRequests("GET /v2/overlap/app/manifests/1", 1);
            awaitRequests("HEAD /v2/overlap/app/blobs/", 2);

            assertThat(proxy.requests()).as("requests while the tag check is unanswered")
                    .noneMatch(request -> request.startsWith("POST ") || request.startsWith("PUT "));
        } finally {
            pusher.interrupt();
            pusher.join(ParallelTasks.CLEAN_UP_WAIT.plusSeconds(10).toMillis());
        }
        assertThat(pusher.isAlive()).isFalse();
        assertThat(failures).singleElement().isInstanceOf(RegistryInterruptedException.class);
        assertThat(proxy.requests()).noneMatch(request -> request.startsWith("POST ") || request.startsWith("PUT "));
    }

    private void awaitRequests(String prefix, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (proxy.requests().stream().filter(r -> r.startsWith(prefix)).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " × " + prefix + " not within 20 s: " + proxy.requests());
            }
            Thread.sleep(5);
        }
    }

    private RegistryClient throughProxy() {
        return new RegistryClient(proxy.host(), registry.connection().withSleeper(duration -> {}));
    }
}
