package io.jenkins.plugins.immutabledeployment.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Whether a repository has each of some blobs, asked ({@code HEAD}) on threads of their own as soon as this is made,
 * so that the answers come in while the caller does something else (a push checks its tag meanwhile). Read-only:
 * closing it before the answers are used cancels the checks still running.
 */
final class BlobChecks implements AutoCloseable {

    private final ExecutorService executor;
    private final Map<Digest, Future<Boolean>> answers = new LinkedHashMap<>();

    BlobChecks(RegistryClient client, String repository, List<? extends BlobSource> blobs, int parallelism) {
        executor = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, blobs.size())),
                ParallelTasks.daemonThreads("immutable-deploy-blob-check-"));
        for (BlobSource blob : blobs) {
            answers.computeIfAbsent(blob.digest(),
                    digest -> executor.submit(() -> client.blobExists(repository, digest)));
        }
        executor.shutdown();
    }

    /** Waits for the answer about {@code digest}, one of the blobs given; its failure is thrown as it was. */
    boolean exists(Digest digest) {
        try {
            return answers.get(digest).get();
        } catch (ExecutionException e) {
            throw ParallelTasks.causeOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryInterruptedException("interrupted", e);
        }
    }

    /** Cancels the checks not answered yet. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
