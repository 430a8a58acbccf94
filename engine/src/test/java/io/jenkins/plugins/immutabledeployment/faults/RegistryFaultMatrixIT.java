package io.jenkins.plugins.immutabledeployment.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.attestation.ArtifactTypes;
import io.jenkins.plugins.immutabledeployment.attestation.AttestationVerifier;
import io.jenkins.plugins.immutabledeployment.attestation.ImageWithReferrersCopier;
import io.jenkins.plugins.immutabledeployment.attestation.ProvenanceInputs;
import io.jenkins.plugins.immutabledeployment.attestation.Referrers;
import io.jenkins.plugins.immutabledeployment.attestation.ReleasePublisher;
import io.jenkins.plugins.immutabledeployment.attestation.VerifyReport;
import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RetryPolicy;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.promotion.Promoter;
import io.jenkins.plugins.immutabledeployment.promotion.Promotion;
import io.jenkins.plugins.immutabledeployment.testing.FaultProxy;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fault matrix: every operation that talks to a registry (push with provenance, resolve, copy within a registry
 * and to another one, promote to another registry, verify) against each fault a fault-injecting proxy between the
 * client and a real {@code docker-registry} can make (500, 502, 503, 429 with {@code Retry-After}, a connection
 * dropped without answer, a body cut off half-way, one byte changed in the request body, one byte changed in the
 * response body, a stall past the client's time-out, a wrong {@code Docker-Content-Digest}).
 *
 * <ul>
 *   <li>Once: the fault hits the first request of every kind the operation sends (manifest and blob reads and
 *       writes, the tag's write and read-back, upload sessions, tag lists, referrers tags). The operation retries
 *       and ends correct.
 *   <li>For good: the fault hits every attestation write (the referrers tags), or every request from the tag's
 *       write on (for reads: every manifest read, or every blob read). The operation either ends correct or fails
 *       with a {@link DeploymentException}, and then no tag it was to write is there.
 * </ul>
 *
 * <p>Either way the registry is read back directly afterwards and must be whole: every tag leads to a manifest whose
 * bytes match its digest and to blobs whose bytes match theirs, and no upload session is left open.
 */
class RegistryFaultMatrixIT {

    /** The client's time-out where a stall is the fault (a stall is twice as long), and elsewhere. */
    private static final Duration STALL_TIMEOUT = Duration.ofMillis(300);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final RetryPolicy RETRY =
            new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(2));
    private static final String REFERRERS_TAG = "sha256-[0-9a-f]{64}(\\..*)?";

    enum Fault {
        HTTP_500, HTTP_502, HTTP_503, HTTP_429, DROPPED, TRUNCATED, REQUEST_BYTE, RESPONSE_BYTE, STALL, WRONG_DIGEST;

        FaultProxy inject(FaultProxy proxy, String method, String path, int times) {
            return switch (this) {
                case HTTP_500 -> proxy.respond(method, path, 500, times);
                case HTTP_502 -> proxy.respond(method, path, 502, times);
                case HTTP_503 -> proxy.respond(method, path, 503, times);
                case HTTP_429 -> proxy.throttle(method, path, 1, times);
                case DROPPED -> proxy.drop(method, path, times);
                case TRUNCATED -> proxy.truncate(method, path, times);
                case REQUEST_BYTE -> proxy.tamperRequest(method, path, times);
                case RESPONSE_BYTE -> proxy.tamper(method, path, times);
                case STALL -> proxy.stall(method, path, STALL_TIMEOUT.multipliedBy(2), times);
                case WRONG_DIGEST -> proxy.wrongDigest(method, path, times);
            };
        }

        String slug() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Which registry the faults are put in front of. */
    enum Side { HOME, OTHER }

    enum Operation {
        PUSH(Side.HOME), RESOLVE(Side.HOME), COPY_SAME_REGISTRY(Side.HOME), COPY_TO_OTHER_REGISTRY(Side.HOME, Side.OTHER),
        PROMOTE(Side.HOME, Side.OTHER), VERIFY(Side.HOME);

        final List<Side> sides;

        Operation(Side... sides) {
            this.sides = List.of(sides);
        }

        String slug() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean writes() {
            return this != RESOLVE && this != VERIFY;
        }
    }

    private static RegistryServer home;
    private static RegistryServer other;
    private static FaultProxy homeProxy;
    private static FaultProxy otherProxy;
    private static Path work;
    private static Path layout;
    private static ImageRef source;
    private static String cleanReport;
    private static Duration timeout = TIMEOUT;

    @BeforeAll
    static void start() throws IOException {
        home = RegistryServer.plain();
        other = RegistryServer.plain();
        homeProxy = FaultProxy.to(home);
        otherProxy = FaultProxy.to(other);
        work = Files.createTempDirectory("fault-matrix-");
        layout = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("app", "fault matrix"));
        ImageRef pushed = ImageRef.parse(home.host() + "/source/app:1", "image");
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            Digest digest = new ReleasePublisher(direct(home), Clock.systemUTC(), message -> {})
                    .push(archive, pushed, TagPolicy.IMMUTABLE, inputs(), null, null).push().digest();
            source = ImageRef.parse(homeProxy.host() + "/source/app", "image").withDigest(digest);
        }
        cleanReport = Json.mapper().writeValueAsString(new AttestationVerifier(viaProxy(Side.HOME)).report(source, null));
    }

    @AfterAll
    static void stop() {
        homeProxy.close();
        otherProxy.close();
        home.close();
        other.close();
        deleteRecursively(work);
    }

    /** Kinds of request, most specific first: the fault hits the first request of each (method, path regex). */
    private static final List<Map.Entry<String, String>> KINDS = List.of(
            Map.entry("PUT", "/v2/.*/manifests/1"),
            Map.entry("GET", "/v2/.*/manifests/1"),
            Map.entry("PUT", "/v2/.*/manifests/sha256-.*"),
            Map.entry("GET", "/v2/.*/manifests/sha256-.*"),
            Map.entry("PUT", "/v2/.*/manifests/.*"),
            Map.entry("GET", "/v2/.*/manifests/.*"),
            Map.entry("HEAD", "/v2/.*/manifests/.*"),
            Map.entry("HEAD", "/v2/.*/blobs/sha256:.*"),
            Map.entry("GET", "/v2/.*/blobs/sha256:.*"),
            Map.entry("POST", "/v2/.*/blobs/uploads/.*"),
            Map.entry("PUT", "/v2/.*/blobs/uploads/.*"),
            Map.entry("GET", "/v2/.*/tags/list.*"),
            Map.entry("GET", "/v2/.*/referrers/.*"));

    private static final List<Map.Entry<String, String>> STALLED_KINDS = List.of(
            Map.entry("PUT", "/v2/.*/manifests/1"),
            Map.entry("GET", "/v2/.*/manifests/.*"),
            Map.entry("PUT", "/v2/.*/blobs/uploads/.*"));

    /** One fault, once, at the first request of every kind: every operation retries and ends correct. */
    @TestFactory
    Stream<DynamicTest> oneFaultAtEveryKindOfRequestIsRetriedAndEndsCorrect() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation operation : Operation.values()) {
            for (Side side : operation.sides) {
                for (Fault fault : Fault.values()) {
                    // A stall costs real time (the client's time-out): three kinds of request, not all.
                    List<Map.Entry<String, String>> kinds = fault == Fault.STALL ? STALLED_KINDS : KINDS;
                    tests.add(cell(operation, fault, "once at " + side.name().toLowerCase(Locale.ROOT), () -> {
                        for (Map.Entry<String, String> kind : kinds) {
                            fault.inject(proxy(side), kind.getKey(), kind.getValue(), 1);
                        }
                    }, this::assertCorrect));
                }
            }
        }
        return tests.stream();
    }

    /**
     * The same fault for good, on every attestation write (reads: every manifest read), or on every request from the
     * tag's write on (reads: every blob read, or every manifest {@code HEAD}): correct, or a clean failure with no
     * new tag.
     */
    @TestFactory
    Stream<DynamicTest> persistentFaultFailsCleanlyWithoutTagOrEndsCorrect() {
        List<DynamicTest> tests = new ArrayList<>();
        String any = FaultProxy.ANY;
        int forever = FaultProxy.FOREVER;
        for (Operation operation : Operation.values()) {
            Side side = operation.writes() ? operation.sides.get(operation.sides.size() - 1) : Side.HOME;
            for (Fault fault : Fault.values()) {
                if (operation.writes()) {
                    tests.add(cell(operation, fault, "for good on attestation writes", () ->
                            fault.inject(proxy(side), "PUT", "/v2/.*/manifests/sha256-.*", forever),
                            this::assertCorrectOrClean));
                    tests.add(cell(operation, fault, "for good from the tag write on", () ->
                            fault.inject(proxy(side), any, ".*", forever).startingAt("PUT", "/v2/.*/manifests/1"),
                            this::assertCorrectOrClean));
                } else {
                    tests.add(cell(operation, fault, "for good on manifest reads", () ->
                            fault.inject(proxy(side), "GET", "/v2/.*/manifests/.*", forever), this::assertCorrectOrClean));
                    tests.add(cell(operation, fault, "for good on blob reads and manifest HEADs", () -> {
                        fault.inject(proxy(side), "GET", "/v2/.*/blobs/.*", forever);
                        fault.inject(proxy(side), "HEAD", "/v2/.*/manifests/.*", forever);
                    }, this::assertCorrectOrClean));
                }
            }
        }
        return tests.stream();
    }

    private interface Check {
        void check(Operation operation, String repository, Outcome outcome);
    }

    private DynamicTest cell(Operation operation, Fault fault, String how, Runnable inject,
            Check check) {
        String repository = operation.slug() + "/" + fault.slug() + "-" + how.replaceAll("[^a-z]+", "-");
        String name = operation.slug() + ": " + fault.slug() + " " + how;
        return DynamicTest.dynamicTest(name, () -> {
            Assumptions.assumeTrue(name.matches(System.getProperty("faultMatrix.only", ".*")), "faultMatrix.only");
            resetProxies();
            inject.run();
            timeout = fault == Fault.STALL ? STALL_TIMEOUT : TIMEOUT;
            Outcome outcome = run(operation, repository);
            timeout = TIMEOUT;
            List<String> requests = new ArrayList<>(homeProxy.requests());
            requests.addAll(otherProxy.requests());
            resetProxies();
            try {
                check.check(operation, repository, outcome);
                assertEveryUploadSessionCompletedOrCancelled(target(operation), repository, requests);
            } catch (AssertionError e) {
                String message = e.getMessage().length() > 2000 ? e.getMessage().substring(0, 2000) + "…" : e.getMessage();
                throw new AssertionError(name + ": " + message + "\nrequests: "
                        + requests.subList(Math.max(0, requests.size() - 40), requests.size()));
            }
        });
    }

    /** What an operation returned or threw. */
    record Outcome(Digest digest, String report, Throwable failure) {}

    private static Outcome run(Operation operation, String repository) {
        try {
            return switch (operation) {
                case PUSH -> {
                    try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
                        ImageRef target = ImageRef.parse(homeProxy.host() + "/" + repository + ":1", "image");
                        yield new Outcome(new ReleasePublisher(viaProxy(Side.HOME), Clock.systemUTC(), message -> {})
                                .push(archive, target, TagPolicy.IMMUTABLE, inputs(), null, null).push().digest(),
                                null, null);
                    }
                }
                case RESOLVE -> new Outcome(viaProxy(Side.HOME)
                        .resolve(ImageRef.parse(homeProxy.host() + "/source/app:1", "image")), null, null);
                case COPY_SAME_REGISTRY -> {
                    RegistryClient client = viaProxy(Side.HOME);
                    yield new Outcome(new ImageWithReferrersCopier(client, client, message -> {}).copy(source,
                            ImageRef.parse(homeProxy.host() + "/" + repository + ":1", "to"), TagPolicy.IMMUTABLE)
                            .image().digest(), null, null);
                }
                case COPY_TO_OTHER_REGISTRY -> new Outcome(new ImageWithReferrersCopier(viaProxy(Side.HOME),
                        viaProxy(Side.OTHER), message -> {}).copy(source,
                        ImageRef.parse(otherProxy.host() + "/" + repository + ":1", "to"), TagPolicy.IMMUTABLE)
                        .image().digest(), null, null);
                case PROMOTE -> new Outcome(new Promoter(viaProxy(Side.HOME), viaProxy(Side.OTHER), Clock.systemUTC(),
                        message -> {}).promote(Promotion.of(source,
                        ImageRef.parse(otherProxy.host() + "/" + repository + ":1", "to"), "production")).digest(),
                        null, null);
                case VERIFY -> new Outcome(null, Json.mapper().writeValueAsString(
                        new AttestationVerifier(viaProxy(Side.HOME)).report(source, null)), null);
            };
        } catch (Throwable failure) {
            return new Outcome(null, null, failure);
        }
    }

    private void assertCorrect(Operation operation, String repository, Outcome outcome) {
        if (outcome.failure() != null) {
            fail(operation.slug() + " failed where a retry mends the fault: " + outcome.failure(), outcome.failure());
        }
        assertResult(operation, repository, outcome);
        assertWhole(target(operation), repository);
    }

    private void assertCorrectOrClean(Operation operation, String repository, Outcome outcome) {
        if (outcome.failure() == null && operation == Operation.VERIFY && !outcome.report().equals(cleanReport)) {
            // What cannot be read is reported as unreadable, never as absent.
            assertThat(outcome.report()).contains("\"unreadable\":[{");
        } else if (outcome.failure() == null) {
            assertResult(operation, repository, outcome);
        } else {
            assertThat(outcome.failure()).as("a failure the user can act on").isInstanceOf(DeploymentException.class);
            if (operation.writes()) {
                assertThat(userTags(target(operation), repository)).as("tags after a failed " + operation.slug())
                        .isEmpty();
            }
        }
        assertWhole(target(operation), repository);
    }

    /** The operation's promise, read back from the registry without the proxy. */
    private static void assertResult(Operation operation, String repository, Outcome outcome) {
        switch (operation) {
            case RESOLVE -> assertThat(outcome.digest()).isEqualTo(source.digest());
            case VERIFY -> assertThat(outcome.report()).isEqualTo(cleanReport);
            default -> {
                RegistryServer target = target(operation);
                if (operation != Operation.PUSH) {
                    assertThat(outcome.digest()).isEqualTo(source.digest());
                }
                assertThat(userTags(target, repository)).containsExactly(Map.entry("1", outcome.digest()));
                List<Descriptor> attached = new Referrers(direct(target)).list(repository, outcome.digest(),
                        ArtifactTypes.DSSE_ENVELOPE);
                assertThat(attached).as("attestations attached before the tag").hasSize(
                        operation == Operation.PROMOTE ? 2 : 1);
            }
        }
    }

    private static RegistryServer target(Operation operation) {
        return operation == Operation.COPY_TO_OTHER_REGISTRY || operation == Operation.PROMOTE ? other : home;
    }

    /** Tags other than the referrers tag schema's, each with the digest of the bytes it serves. */
    private static Map<String, Digest> userTags(RegistryServer server, String repository) {
        RegistryClient client = direct(server);
        Map<String, Digest> tags = new TreeMap<>();
        for (String tag : client.listTags(repository)) {
            if (!tag.matches(REFERRERS_TAG)) {
                tags.put(tag, client.getManifest(repository, tag).digest());
            }
        }
        return tags;
    }

    /**
     * Every tag of the repository (and of the source's) leads to manifests and blobs whose bytes match their
     * digests.
     */
    private static void assertWhole(RegistryServer server, String repository) {
        for (Map.Entry<RegistryServer, String> checked
                : List.of(Map.entry(server, repository), Map.entry(home, source.repository()))) {
            RegistryClient client = direct(checked.getKey());
            for (String tag : client.listTags(checked.getValue())) {
                walk(client, checked.getValue(), client.getManifest(checked.getValue(), tag));
            }
        }
    }

    /**
     * Every upload session the client learned of (it sent a request to it) is completed or cancelled. Sessions it
     * never heard of (the answer to their {@code POST} was lost or came after the time-out) and those a registry
     * keeps although they were cancelled (distribution keeps a session whose {@code PUT} it refused with
     * {@code DIGEST_INVALID}, and no longer accepts its {@code DELETE}) are the registry's to expire.
     */
    private static void assertEveryUploadSessionCompletedOrCancelled(
            RegistryServer server, String repository, List<String> requests) {
        for (String session : server.openUploadSessions(repository)) {
            boolean known = requests.stream().anyMatch(r -> r.contains("/blobs/uploads/" + session));
            boolean cancelled = requests.stream().anyMatch(r -> r.startsWith("DELETE ") && r.endsWith(session));
            assertThat(!known || cancelled).as("upload session " + session + " left open without a DELETE").isTrue();
        }
    }

    private static void walk(RegistryClient client, String repository, Manifest manifest) {
        if (manifest.isIndex()) {
            for (Descriptor child : manifest.manifests()) {
                walk(client, repository, client.getManifest(repository, child.digest().toString()));
            }
            return;
        }
        for (Descriptor blob : manifest.blobs()) {
            try (InputStream in = client.openBlob(repository, blob.digest(), blob.size())) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new AssertionError("blob " + blob.digest() + " of " + repository + " is not whole", e);
            }
        }
    }

    private static FaultProxy proxy(Side side) {
        return side == Side.HOME ? homeProxy : otherProxy;
    }

    private static void resetProxies() {
        homeProxy.reset();
        otherProxy.reset();
    }

    /** Clients are kept for the whole run (one HTTP client each), as a command keeps one per registry. */
    private static final Map<String, RegistryClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static RegistryClient viaProxy(Side side) {
        RegistryServer server = side == Side.HOME ? home : other;
        return CLIENTS.computeIfAbsent(side + " " + timeout, key -> new RegistryClient(proxy(side).host(),
                server.connection().withRetry(RETRY).withTimeout(timeout).withSleeper(duration -> {})));
    }

    private static RegistryClient direct(RegistryServer server) {
        return CLIENTS.computeIfAbsent(server.host(), key -> new RegistryClient(server.host(), server.connection()));
    }

    private static ProvenanceInputs inputs() {
        return ProvenanceInputs.of("https://ci.example.com/job/shop/", "https://ci.example.com/job/shop/42/", "shop")
                .withStartedOn(Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
