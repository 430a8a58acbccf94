package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.attestation.ImageWithReferrersCopier;
import io.jenkins.plugins.immutabledeployment.attestation.ReleaseResult;
import io.jenkins.plugins.immutabledeployment.oci.TlsTrust;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.net.ssl.SSLContext;

/**
 * Prepares, on a thread of its own, what {@code push} and {@code copy} need after picocli has parsed their arguments:
 * Jackson's mapper and the serializer of the command's result, the JDK's HTTP client classes and security providers,
 * SHA-256 and, for TLS, the JDK's default context (its CA store). On the main thread they came one after the other
 * behind picocli (about 0.1 s of a push's start, {@code bench/README.md}); here they overlap with it on the second
 * core. It only initialises classes and caches: nothing it does is seen, a failure included, and a
 * command that needs something before it is ready waits for the class to be initialised as it would anyway.
 */
final class Warmup {

    private Warmup() {}

    /**
     * Starts warming up for the command {@code args} name if it moves images (where start-up is measured against
     * skopeo); returns the thread or null. Other commands load nothing more than this class for it.
     */
    static Thread start(String... args) {
        String command = args.length == 0 ? "" : args[0];
        if (!command.equals("push") && !command.equals("copy")) {
            return null;
        }
        boolean tls = !Arrays.asList(args).contains("--plain-http");
        Thread thread = new Thread(() -> warm(command, tls), "warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void warm(String command, boolean tls) {
        try {
            Json.mapper().writerFor(command.equals("push") ? ReleaseResult.class : ImageWithReferrersCopier.Copied.class);
            HttpRequest.newBuilder(URI.create("http://localhost/v2/")).build();
            HttpClient.newBuilder();
            Class.forName("jdk.internal.net.http.HttpClientImpl");
            TlsTrust.context(null, "warm-up");
            MessageDigest.getInstance("SHA-256");
            if (tls) {
                SSLContext.getDefault();
            }
        } catch (Exception | LinkageError e) {
            // Whatever failed here fails again, and is reported, where the command itself needs it.
        }
    }
}
