package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.RegistryException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Retries a manifest {@code PUT} that the registry refused because of its own race between concurrent writers of
 * the same content. CNCF distribution rewrites a blob's or manifest's link file in place (truncate, then write)
 * each time the same content is stored again, so a manifest whose blob another writer is storing at that moment
 * can be refused with {@code MANIFEST_BLOB_UNKNOWN} or {@code DIGEST_INVALID} although the blob is there. Several
 * attestations attached at once share the empty config blob, so this happens; a new attempt succeeds.
 */
final class ConcurrentWrites {

    static final int ATTEMPTS = 5;

    private static final Set<String> LINK_RACE_CODES =
            Set.of("MANIFEST_BLOB_UNKNOWN", "BLOB_UNKNOWN", "MANIFEST_UNKNOWN", "DIGEST_INVALID");

    private ConcurrentWrites() {}

    static <T> T retry(Supplier<T> put) {
        for (int attempt = 1; ; attempt++) {
            try {
                return put.get();
            } catch (RegistryException e) {
                if (attempt >= ATTEMPTS || e.status() != 400 || e.errorCodes().stream().noneMatch(LINK_RACE_CODES::contains)) {
                    throw e;
                }
            }
        }
    }
}
