package io.jenkins.plugins.immutabledeployment.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Whether a repository has each of some blobs, asked ({@code HEAD}, a few at once) in the background as soon as this
 * is made, so that the answers come in while the caller does something else (a push checks its tag meanwhile).
 * Read-only: closing it before the answers are used stops the checks still running.
 */
final class BlobChecks implements AutoCloseable {

    private final Map<Digest, CompletableFuture<Boolean>> answers = new LinkedHashMap<>();
    private final Future<?> checking;

    BlobChecks(RegistryClient client, String repository, List<? extends BlobSource> blobs, int parallelism) {
        blobs.forEach(blob -> answers.putIfAbsent(blob.digest(), new CompletableFuture<>()));
        List<Digest> digests = List.copyOf(answers.keySet());
        checking = ParallelTasks.start(() -> {
            try {
                ParallelTasks.forEach(digests, parallelism,
                        digest -> answers.get(digest).complete(client.blobExists(repository, digest)));
            } catch (RuntimeException | Error e) {
                answers.values().forEach(answer -> answer.completeExceptionally(e)); // those not answered yet
            }
        });
    }

    /** Waits for the answer about {@code digest}, one of the blobs given; a failure is thrown as it was. */
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

    /** Stops the checks not answered yet. */
    @Override
    public void close() {
        checking.cancel(true);
    }
}
