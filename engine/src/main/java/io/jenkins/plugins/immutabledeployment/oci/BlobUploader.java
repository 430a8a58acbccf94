package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uploads one blob: {@code POST} to open an upload session, then either one {@code PUT} streaming the whole content
 * (the default, and blobs up to the chunk size) or {@code PATCH}es of one chunk each and a closing {@code PUT}.
 * Content is streamed from the source, never held in memory, and hashed as it is read: local content that does not
 * match its digest fails the upload before its last byte is sent ({@link IntegrityException}), so the registry never
 * completes it. As the bytes sent are proven, a registry that finds them invalid ({@code DIGEST_INVALID}) received
 * them changed on the way: that attempt, like any failed one, is cancelled ({@code DELETE} on the session) and the
 * upload retried from the start, as the retry policy allows.
 */
final class BlobUploader {

    private static final List<String> INTEGRITY_CODES = List.of("DIGEST_INVALID", "SIZE_INVALID", "BLOB_UPLOAD_INVALID");

    private final RegistryHttp http;
    private final long chunkSize;
    private final AtomicLong bytesUploaded;

    BlobUploader(RegistryHttp http, long chunkSize, AtomicLong bytesUploaded) {
        this.http = http;
        this.chunkSize = chunkSize;
        this.bytesUploaded = bytesUploaded;
    }

    void upload(String repository, BlobSource blob, List<String> scopes, Progress progress) {
        for (int attempt = 1; ; attempt++) {
            try {
                uploadOnce(repository, blob, scopes, progress);
                return;
            } catch (RegistryHttp.RetryableFailure failure) {
                if (attempt >= http.retry().maxAttempts()) {
                    if (RegistryHttp.integrityCause(failure) != null) {
                        throw new IntegrityException(failure.getMessage() + " (after " + attempt + " attempts)");
                    }
                    throw new RegistryException(failure.getMessage() + " (after " + attempt + " attempts)",
                            failure.failure());
                }
                http.pause("upload of blob " + blob.digest() + " to " + repository, attempt, failure.retryAfter(),
                        failure.getMessage());
            }
        }
    }

    private void uploadOnce(String repository, BlobSource blob, List<String> scopes, Progress progress) {
        String what = "upload of blob " + blob.digest() + " to " + repository;
        URI session = startSession(repository, scopes, what);
        URI location = session;
        boolean done = false;
        try (InputStream content = new TransferProgress(new CountingInputStream(
                blob.fromNetwork() ? blob.open() : VerifyingInputStream.of(blob), bytesUploaded),
                blob.digest(), blob.size(), progress, http.clock())) {
            if (chunkSize == RegistryConnection.NO_CHUNKS || blob.size() <= chunkSize) {
                put(location, blob, content, blob.size(), scopes, what);
                done = true;
                return;
            }
            long offset = 0;
            while (offset < blob.size()) {
                long length = Math.min(chunkSize, blob.size() - offset);
                location = patch(location, content, offset, length, scopes, what);
                offset += length;
            }
            put(location, blob, InputStream.nullInputStream(), 0, scopes, what);
            done = true;
        } catch (IOException e) {
            IntegrityException integrity = RegistryHttp.integrityCause(e);
            if (integrity != null) {
                throw sourceMismatch(blob, integrity);
            }
            throw new RegistryHttp.RetryableFailure(
                    new RegistryException(what + " at " + http.registry() + ": " + RegistryHttp.describe(e), e), null);
        } catch (IntegrityException e) {
            throw sourceMismatch(blob, e);
        } finally {
            if (!done) {
                cancel(location, scopes, what);
            }
        }
    }

    /**
     * Cancels an upload session ({@code DELETE} on its location) so that a failed or interrupted upload leaves
     * nothing open in the registry. Best effort, once, to its answer even while the thread is being interrupted:
     * the session expires on its own if this fails too.
     */
    void cancel(URI location, List<String> scopes, String what) {
        boolean interrupted = Thread.interrupted();
        try {
            RegistryHttp.Call call = RegistryHttp.Call.of("cancel " + what, "DELETE", location, scopes);
            RegistryHttp.discard(http.sendToTheEnd(call, false));
        } catch (RuntimeException e) {
            // The failure being reported matters more; an upload session left behind expires.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private URI startSession(String repository, List<String> scopes, String what) {
        if (Thread.currentThread().isInterrupted()) {
            throw new RegistryInterruptedException(what + " at " + http.registry() + ": interrupted", null);
        }
        RegistryHttp.Call call = RegistryHttp.Call.of(what, "POST", http.uri(repository + "/blobs/uploads/"), scopes);
        HttpResponse<InputStream> response = http.sendToTheEnd(call, true);
        if (response.statusCode() != 202) {
            throw http.failureOfAttempt(call, response);
        }
        URI location = sessionLocation(call, response);
        if (Thread.currentThread().isInterrupted()) {
            cancel(location, scopes, what);
            throw new RegistryInterruptedException(what + " at " + http.registry() + ": interrupted", null);
        }
        return location;
    }

    private URI patch(URI location, InputStream content, long offset, long length, List<String> scopes, String what) {
        RegistryHttp.Call call = new RegistryHttp.Call(what, "PATCH", location,
                Map.of("Content-Type", "application/octet-stream",
                        "Content-Range", offset + "-" + (offset + length - 1)),
                () -> stream(new BoundedInputStream(content, length), length), scopes, false, true);
        HttpResponse<InputStream> response = sendOnce(call);
        if (response.statusCode() != 202) {
            throw integrityOr(http.failureOfAttempt(call, response));
        }
        return sessionLocation(call, response);
    }

    private void put(URI location, BlobSource blob, InputStream content, long length, List<String> scopes, String what) {
        String separator = location.getRawQuery() == null ? "?" : "&";
        URI target = URI.create(location + separator + "digest="
                + URLEncoder.encode(blob.digest().toString(), StandardCharsets.UTF_8));
        RegistryHttp.Call call = new RegistryHttp.Call(what, "PUT", target,
                Map.of("Content-Type", "application/octet-stream"), () -> stream(content, length), scopes, false, true);
        HttpResponse<InputStream> response = sendOnce(call);
        if (response.statusCode() != 201) {
            throw integrityOr(http.failureOfAttempt(call, response));
        }
        RegistryHttp.discard(response);
    }

    /** Sends a request whose body cannot be replayed; an I/O failure makes the whole upload start again. */
    private HttpResponse<InputStream> sendOnce(RegistryHttp.Call call) {
        try {
            return http.send(call, false);
        } catch (RegistryException e) {
            if (e.status() == 0 && e.getCause() instanceof IOException) {
                throw new RegistryHttp.RetryableFailure(e, null);
            }
            throw e;
        }
    }

    private URI sessionLocation(RegistryHttp.Call call, HttpResponse<InputStream> response) {
        String location = response.headers().firstValue("Location").orElse(null);
        RegistryHttp.discard(response);
        if (location == null) {
            throw new RegistryException(call.what() + " at " + http.registry() + ": upload session without Location",
                    response.statusCode(), List.of());
        }
        return http.resolve(location);
    }

    /**
     * The registry refusing the content's digest or size, although the bytes were proven as they were read, means
     * they changed on the way: worth another attempt.
     */
    private static RuntimeException integrityOr(RuntimeException failure) {
        if (failure instanceof RegistryException registryFailure
                && registryFailure.errorCodes().stream().anyMatch(INTEGRITY_CODES::contains)) {
            return new RegistryHttp.RetryableFailure(new RegistryException(registryFailure.getMessage()
                    + ": the bytes sent, proven as they were read, arrived changed", registryFailure), null);
        }
        return failure;
    }

    /** Content from the network that did not match may come right on a new attempt; local content will not. */
    private static RuntimeException sourceMismatch(BlobSource blob, IntegrityException mismatch) {
        if (blob.fromNetwork()) {
            return new RegistryHttp.RetryableFailure(new RegistryException(mismatch.getMessage(), mismatch), null);
        }
        return mismatch;
    }

    private static HttpRequest.BodyPublisher stream(InputStream content, long length) {
        if (length == 0) {
            return HttpRequest.BodyPublishers.noBody();
        }
        return new StreamBody(content, length);
    }
}
