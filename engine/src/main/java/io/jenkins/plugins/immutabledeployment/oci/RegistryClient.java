package io.jenkins.plugins.immutabledeployment.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of one registry's OCI distribution API over {@code java.net.http}. Thread-safe; keep one per registry
 * for the duration of an operation so that authorization tokens are reused.
 *
 * <p>Every manifest and blob it downloads is checked against its digest ({@link IntegrityException}); every other
 * failure is a {@link RegistryException}. Retries on 429, 5xx and I/O errors follow the connection's
 * {@link RetryPolicy}.
 */
public final class RegistryClient {

    static final String USER_AGENT = "immutable-deploy";
    /** The largest manifest accepted, as registries commonly limit them. */
    public static final int MANIFEST_MAX_BYTES = 4 << 20;

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_REDIRECTS = 5;
    private static final List<String> CHANGED_ON_THE_WAY = List.of("DIGEST_INVALID", "MANIFEST_INVALID");

    /** What this client has done so far, for reports and benchmarks. */
    public record Stats(long requests, long bytesUploaded, long bytesDownloaded) {}

    private final String registry;
    private final RegistryHttp http;
    private final BlobUploader uploader;
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final AtomicLong bytesDownloaded = new AtomicLong();

    /**
     * @param registry the registry as written in image references ({@code localhost:5000}, {@code docker.io})
     */
    public RegistryClient(String registry, RegistryConnection connection) {
        this.registry = registry;
        this.http = new RegistryHttp(registry, ImageRef.apiHost(registry), connection);
        this.uploader = new BlobUploader(http, connection.chunkSize(), bytesUploaded);
    }

    public static RegistryClient forImage(ImageRef image, RegistryConnection connection) {
        return new RegistryClient(image.registry(), connection);
    }

    public String registry() {
        return registry;
    }

    public Stats stats() {
        return new Stats(http.requests(), bytesUploaded.get(), bytesDownloaded.get());
    }

    /** Checks that the registry speaks the distribution API ({@code GET /v2/}) and accepts our authorization. */
    public void ping() {
        RegistryHttp.Call call = RegistryHttp.Call.of("API version check", "GET", http.uri(""), List.of());
        HttpResponse<InputStream> response = http.send(call, true);
        if (response.statusCode() != 200) {
            throw http.failure(call, response);
        }
        String version = response.headers().firstValue("Docker-Distribution-API-Version").orElse("registry/2.0");
        RegistryHttp.discard(response);
        if (!version.trim().equals("registry/2.0")) {
            throw new RegistryException("registry " + registry + " speaks API version \"" + version
                    + "\", not registry/2.0", 200, List.of());
        }
    }

    /**
     * The digest a tag (or digest) currently resolves to, from the {@code Docker-Content-Digest} of one
     * {@code HEAD}: cheap, but only as true as that header. When the header is absent or disagrees with a digest
     * reference, the manifest is fetched and hashed instead. Empty when there is none.
     */
    public Optional<Digest> resolve(String repository, String reference) {
        RegistryHttp.Call call = RegistryHttp.Call.of("resolve " + repository + ":" + reference, "HEAD",
                manifestUri(repository, reference), pull(repository)).withHeaders(Map.of("Accept", MediaTypes.MANIFEST_ACCEPT));
        Optional<HttpResponse<InputStream>> found = http.sendUnlessNotFound(call, 200);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> header = found.get().headers().firstValue("Docker-Content-Digest");
        RegistryHttp.discard(found.get());
        Optional<Digest> said = header.flatMap(h -> {
            try {
                return Optional.of(Digest.parse(h.trim(), "Docker-Content-Digest"));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
        if (said.isPresent() && (!isDigest(reference) || said.get().toString().equals(reference))) {
            return said;
        }
        return resolveVerified(repository, reference);
    }

    /**
     * The digest a tag (or digest) resolves to, computed from the manifest's bytes ({@code GET} and hash), never
     * taken from a header; a {@code Docker-Content-Digest} that disagrees with the bytes makes the answer
     * inconsistent, and it is fetched again. Empty when there is none.
     */
    public Optional<Digest> resolveVerified(String repository, String reference) {
        RegistryHttp.Call call = RegistryHttp.Call.of("get manifest " + repository + ":" + reference, "GET",
                manifestUri(repository, reference), pull(repository)).withHeaders(Map.of("Accept", MediaTypes.MANIFEST_ACCEPT));
        return http.fetch(call, response -> readManifest(call, reference, response).digest(), 200);
    }

    /** The digest {@code image}'s tag or digest resolves to, verified ({@link #resolveVerified}); 404 when missing. */
    public Digest resolve(ImageRef image) {
        return resolve(image, true);
    }

    /**
     * The digest {@code image}'s tag or digest resolves to; {@code verify} fetches and hashes the manifest, else the
     * {@code HEAD} header is taken ({@link #resolve(String, String)}). A missing manifest is a 404.
     */
    public Digest resolve(ImageRef image, boolean verify) {
        Optional<Digest> digest = verify ? resolveVerified(image.repository(), image.reference())
                : resolve(image.repository(), image.reference());
        return digest.orElseThrow(() -> notFound("manifest " + image));
    }

    /**
     * The manifest for a tag or digest, verified against the digest (the reference's, else the registry's
     * {@code Docker-Content-Digest}); empty when there is none. A broken or mismatching answer is fetched again.
     */
    public Optional<Manifest> findManifest(String repository, String reference) {
        RegistryHttp.Call call = RegistryHttp.Call.of("get manifest " + repository + ":" + reference, "GET",
                manifestUri(repository, reference), pull(repository)).withHeaders(Map.of("Accept", MediaTypes.MANIFEST_ACCEPT));
        return http.fetch(call, response -> readManifest(call, reference, response), 200);
    }

    private Manifest readManifest(RegistryHttp.Call call, String reference, HttpResponse<InputStream> response)
            throws IOException {
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
        byte[] bytes = http.readBody(response, MANIFEST_MAX_BYTES, call.what());
        bytesDownloaded.addAndGet(bytes.length);
        Digest computed = Digest.sha256(bytes);
        if (isDigest(reference)) {
            Digest expected = Digest.parse(reference, "reference");
            if (!expected.matches(expected.newMessageDigest().digest(bytes))) {
                throw new IntegrityException(call.what() + " at " + registry + ": the manifest's bytes do not match "
                        + expected + " (tampered with or corrupted)");
            }
        } else if (header.isPresent()) {
            Digest said = parseHeaderDigest(call, header.get());
            if (!said.matches(said.newMessageDigest().digest(bytes))) {
                throw new IntegrityException(call.what() + " at " + registry + ": the registry says " + said
                        + " but the manifest's bytes have digest " + computed + " (tampered with or corrupted)");
            }
        }
        try {
            return Manifest.parse(bytes, contentType);
        } catch (InvalidManifestException e) {
            throw new InvalidManifestException(call.what() + " at " + registry + ": " + e.getMessage());
        }
    }

    public Manifest getManifest(String repository, String reference) {
        return findManifest(repository, reference)
                .orElseThrow(() -> notFound("manifest " + registry + "/" + repository + ":" + reference));
    }

    /**
     * Stores manifest bytes under a tag or digest; returns their digest, after checking the registry computed the
     * same one.
     */
    public Digest putManifest(String repository, String reference, Manifest manifest) {
        Stored stored = putManifestFor(repository, reference, manifest);
        // A header that disagrees may be the header's fault: what the reference serves now decides.
        if (!stored.digest().equals(manifest.digest())
                && !resolveVerified(repository, reference).filter(manifest.digest()::equals).isPresent()) {
            throw new IntegrityException("put manifest " + repository + ":" + reference + " at " + registry
                    + ": the registry stored " + stored.digest() + " but the bytes sent have digest " + manifest.digest());
        }
        return manifest.digest();
    }

    /**
     * Stores a manifest under its digest and proves it is there: the registry refuses bytes that do not match the
     * digest in the URL, and its {@code Docker-Content-Digest} naming the digest computed here over the bytes sent
     * confirms it stored them. Only an answer without that header, or with another digest, is read back and hashed.
     * What a tag may then point at.
     */
    public void storeManifest(String repository, Manifest manifest) {
        Stored stored = putManifestFor(repository, manifest.digest().toString(), manifest);
        if (stored.confirmed()) {
            return;
        }
        if (findManifest(repository, manifest.digest().toString()).isEmpty()) {
            throw new RegistryException("put manifest " + repository + "@" + manifest.digest() + " at " + registry
                    + ": answered 201, but reading it back finds nothing", 404, List.of("MANIFEST_UNKNOWN"));
        }
    }

    /**
     * What a manifest {@code PUT} did.
     *
     * @param digest what the registry says it stored ({@code Docker-Content-Digest}), else the digest of the bytes sent
     * @param subjectIndexed whether the registry answered with an {@code OCI-Subject} header
     * @param confirmed whether the registry's {@code Docker-Content-Digest} named the digest of the bytes sent
     */
    record Stored(Digest digest, boolean subjectIndexed, boolean confirmed) {}

    /**
     * Stores a manifest under a tag without judging the registry's answer: returns the digest the registry says it
     * stored, which differs from the manifest's when the bytes changed on their way.
     */
    Digest putManifestUnchecked(String repository, String tag, Manifest manifest) {
        return putManifestFor(repository, tag, manifest).digest();
    }

    /**
     * Stores a manifest that has a {@code subject} by its digest. Returns whether the registry says it indexed the
     * subject for the referrers API ({@code OCI-Subject} header); when not, the client must maintain the referrers
     * tag schema itself.
     */
    public boolean putManifestWithSubject(String repository, Manifest manifest) {
        Stored stored = putManifestFor(repository, manifest.digest().toString(), manifest);
        if (!stored.digest().equals(manifest.digest())
                && !resolveVerified(repository, manifest.digest().toString()).isPresent()) {
            throw new IntegrityException("put manifest " + repository + "@" + manifest.digest() + " at " + registry
                    + ": the registry stored " + stored.digest() + " but the bytes sent have digest " + manifest.digest());
        }
        return stored.subjectIndexed();
    }

    private Stored putManifestFor(String repository, String reference, Manifest manifest) {
        RegistryHttp.Call call = RegistryHttp.Call.of("put manifest " + repository + ":" + reference, "PUT",
                        manifestUri(repository, reference), push(repository))
                .withHeaders(Map.of("Content-Type", manifest.mediaType()))
                .withBody(() -> HttpRequest.BodyPublishers.ofByteArray(manifest.bytes()), true);
        for (int attempt = 1; ; attempt++) {
            HttpResponse<InputStream> response = http.send(call, true);
            if (response.statusCode() != 201) {
                RegistryException failure = http.failure(call, response);
                // Bytes this client made are valid: the registry finding them invalid means they changed on the way.
                if (failure.status() == 400 && failure.errorCodes().stream().anyMatch(CHANGED_ON_THE_WAY::contains)
                        && attempt < http.retry().maxAttempts()) {
                    http.pause(call.what(), attempt, null, "the registry found the bytes sent invalid: "
                            + String.join(", ", failure.errorCodes()));
                    continue;
                }
                throw failure;
            }
            Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
            boolean subject = response.headers().firstValue("OCI-Subject").isPresent();
            RegistryHttp.discard(response);
            Optional<Digest> said = header.map(h -> parseHeaderDigest(call, h)).filter(d -> "sha256".equals(d.algorithm()));
            return new Stored(said.orElse(manifest.digest()), subject, said.filter(manifest.digest()::equals).isPresent());
        }
    }

    /** Deletes a manifest by digest (and with it every tag pointing at it); false when it did not exist. */
    public boolean deleteManifest(String repository, Digest digest) {
        RegistryHttp.Call call = RegistryHttp.Call.of("delete manifest " + repository + "@" + digest, "DELETE",
                manifestUri(repository, digest.toString()), delete(repository));
        Optional<HttpResponse<InputStream>> deleted = http.sendUnlessNotFound(call, 202, 200);
        deleted.ifPresent(RegistryHttp::discard);
        return deleted.isPresent();
    }

    public boolean blobExists(String repository, Digest digest) {
        RegistryHttp.Call call = RegistryHttp.Call.of("check blob " + repository + "@" + digest, "HEAD",
                http.uri(repository + "/blobs/" + digest), pull(repository));
        Optional<HttpResponse<InputStream>> found = http.sendUnlessNotFound(call, 200);
        found.ifPresent(RegistryHttp::discard);
        return found.isPresent();
    }

    /**
     * Streams a blob. The stream fails with an {@code IOException} caused by an {@link IntegrityException} when the
     * content does not match {@code digest} or {@code size}.
     *
     * @param size the expected size, or -1 when unknown
     */
    public InputStream openBlob(String repository, Digest digest, long size) {
        RegistryHttp.Call call = RegistryHttp.Call.of("get blob " + repository + "@" + digest, "GET",
                http.uri(repository + "/blobs/" + digest), pull(repository));
        for (int redirects = 0; ; redirects++) {
            HttpResponse<InputStream> response = http.send(call, true);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && location.isPresent() && redirects < MAX_REDIRECTS) {
                RegistryHttp.discard(response);
                call = call.redirectedTo(call.uri().resolve(location.get()));
                continue;
            }
            if (status == 404) {
                RegistryHttp.discard(response);
                throw notFound("blob " + registry + "/" + repository + "@" + digest);
            }
            if (status != 200) {
                throw http.failure(call, response);
            }
            return new VerifyingInputStream(new CountingInputStream(response.body(), bytesDownloaded), digest, size,
                    "blob " + registry + "/" + repository + "@" + digest);
        }
    }

    /** A small blob (a config, an attestation), verified, at most {@code maxBytes}; a broken answer is fetched again. */
    public byte[] getBlob(String repository, Digest digest, int maxBytes) {
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            try (InputStream in = openBlob(repository, digest, -1)) {
                byte[] bytes = in.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new RegistryException("blob " + repository + "@" + digest + " at " + registry
                            + " is larger than " + maxBytes + " bytes", 200, List.of());
                }
                return bytes;
            } catch (IOException e) {
                IntegrityException integrity = RegistryHttp.integrityCause(e);
                failure = integrity != null ? integrity : new RegistryException("get blob " + repository + "@" + digest
                        + " at " + registry + ": " + RegistryHttp.describe(e), e);
            }
            if (attempt >= http.retry().maxAttempts()) {
                throw failure;
            }
            http.pause("get blob " + repository + "@" + digest, attempt,
                    null, failure instanceof IntegrityException ? "the answer did not match its digest" : "the answer broke off");
        }
    }

    /**
     * Uploads a blob, in one request up to the connection's chunk size, else in chunks; streamed, never held in
     * memory. The registry verifies the digest; a mismatch is an {@link IntegrityException}.
     */
    public void uploadBlob(String repository, BlobSource blob, Progress progress) {
        uploader.upload(repository, blob, push(repository), progress);
    }

    /** Uploads small content held in memory and returns its descriptor. */
    public Descriptor uploadBlob(String repository, byte[] content, String mediaType) {
        BlobSource blob = BlobSource.of(content);
        if (!blobExists(repository, blob.digest())) {
            uploadBlob(repository, blob, Progress.NONE);
        }
        return Descriptor.of(mediaType, blob.digest(), blob.size());
    }

    /**
     * Mounts a blob from another repository of this registry, moving no bytes. Returns false when the registry
     * declined (202: the source blob is unknown or not readable); the caller then uploads it.
     */
    public boolean mountBlob(String repository, Digest digest, String fromRepository) {
        URI uri = http.uri(repository + "/blobs/uploads/?mount=" + encode(digest.toString()) + "&from="
                + encode(fromRepository));
        List<String> scopes = List.of(scope(repository, "pull,push"), scope(fromRepository, "pull"));
        RegistryHttp.Call call = RegistryHttp.Call.of("mount blob " + digest + " from " + fromRepository + " into "
                + repository, "POST", uri, scopes);
        HttpResponse<InputStream> response = http.send(call, true);
        int status = response.statusCode();
        if (status == 201) {
            RegistryHttp.discard(response);
            return true;
        }
        if (status == 202) {
            // An upload session was opened instead: closed again, the caller uploads in a fresh one.
            Optional<String> location = response.headers().firstValue("Location");
            RegistryHttp.discard(response);
            location.ifPresent(l -> uploader.cancel(http.resolve(l), scopes, call.what()));
            return false;
        }
        throw http.failure(call, response);
    }

    /** All tags of a repository (empty when the repository does not exist), following pagination. */
    public List<String> listTags(String repository) {
        List<String> tags = new ArrayList<>();
        URI next = http.uri(repository + "/tags/list?n=1000");
        while (next != null) {
            RegistryHttp.Call call = RegistryHttp.Call.of("list tags of " + repository, "GET", next, pull(repository));
            Optional<Page> page = http.fetch(call, response -> readPage(call, response), 200);
            if (page.isEmpty()) {
                return tags;
            }
            page.get().body().path("tags").forEach(tag -> tags.add(tag.asText()));
            next = page.get().next();
        }
        return tags;
    }

    /** One page of a paginated list: its JSON and the link to the next page, if any. */
    private record Page(JsonNode body, URI next) {}

    /**
     * The referrers of a manifest through the OCI 1.1 referrers API, optionally filtered by artifact type; empty
     * when the registry lacks the API (it answers 404), in which case the referrers tag schema applies.
     */
    public Optional<List<Descriptor>> referrers(String repository, Digest subject, String artifactType) {
        List<Descriptor> referrers = new ArrayList<>();
        URI next = http.uri(repository + "/referrers/" + subject
                + (artifactType == null ? "" : "?artifactType=" + encode(artifactType)));
        while (next != null) {
            RegistryHttp.Call call = RegistryHttp.Call.of("list referrers of " + repository + "@" + subject, "GET",
                    next, pull(repository)).withHeaders(Map.of("Accept", MediaTypes.OCI_INDEX));
            Optional<Page> page = http.fetch(call, response -> readPage(call, response), 200);
            if (page.isEmpty()) {
                return Optional.empty();
            }
            next = page.get().next();
            JsonNode manifests = page.get().body().path("manifests");
            for (int i = 0; i < manifests.size(); i++) {
                referrers.add(Descriptor.fromJson(manifests.get(i), "referrers[" + i + "]"));
            }
        }
        return Optional.of(List.copyOf(referrers));
    }

    private Page readPage(RegistryHttp.Call call, HttpResponse<InputStream> response) throws IOException {
        URI next = nextPage(response);
        byte[] bytes = http.readBody(response, MANIFEST_MAX_BYTES, call.what());
        JsonNode body;
        try {
            body = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            // A body cut short is not JSON either: fetched again, as a broken answer.
            throw new IOException("the answer is not JSON", e);
        }
        return new Page(body == null ? Json.mapper().createObjectNode() : body, next);
    }

    private URI nextPage(HttpResponse<?> response) {
        for (String link : response.headers().allValues("Link")) {
            Matcher matcher = NEXT_LINK.matcher(link);
            if (matcher.find()) {
                return http.resolve(matcher.group(1));
            }
        }
        return null;
    }

    private URI manifestUri(String repository, String reference) {
        return http.uri(repository + "/manifests/" + reference);
    }

    private Digest parseHeaderDigest(RegistryHttp.Call call, String header) {
        try {
            return Digest.parse(header.trim(), "Docker-Content-Digest");
        } catch (IllegalArgumentException e) {
            throw new RegistryException(call.what() + " at " + registry + ": invalid Docker-Content-Digest \""
                    + header + "\"", 200, List.of());
        }
    }

    private RegistryException notFound(String what) {
        return new RegistryException(what + " not found", 404, List.of("NOT_FOUND"));
    }

    private static boolean isDigest(String reference) {
        return reference.contains(":");
    }

    private static List<String> pull(String repository) {
        return List.of(scope(repository, "pull"));
    }

    private static List<String> push(String repository) {
        return List.of(scope(repository, "pull,push"));
    }

    private static List<String> delete(String repository) {
        return List.of(scope(repository, "delete"));
    }

    private static String scope(String repository, String actions) {
        return "repository:" + repository + ":" + actions;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
