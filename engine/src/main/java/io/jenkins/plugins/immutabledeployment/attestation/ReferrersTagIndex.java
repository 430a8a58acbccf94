package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.MediaTypes;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The referrers tag schema of the OCI distribution spec, safe with concurrent writers on registries without
 * conditional writes.
 *
 * <p>The spec's index tag {@code sha256-<hex>} holds an OCI index of the subject's referrers; it is what other
 * tools read. Updating it is read-modify-write on a register where the last write wins, so a writer that read
 * before another writer's update and writes after it would silently drop that entry. To make that impossible,
 * every writer first tags its artifact with an entry tag {@code sha256-<hex>.<16 hex>} (tags are only ever
 * added, never lost), then repeats: read the index and the entry tags; if the index lacks an entry, write the
 * union; until one read finds the index complete. The last index write is followed by its writer's own check,
 * which sees every entry tag written before it, so the final index holds every writer's entry. Readers use the
 * union of the index and the entry tags, so they see an entry even while the index is catching up.
 */
final class ReferrersTagIndex {

    /** Rounds of read-merge-write before giving up; each round is answered by a write that adds entries. */
    static final int MAX_ROUNDS = 40;

    /**
     * What the tag schema holds for one subject.
     *
     * @param indexed the entries of the index tag
     * @param all the indexed entries plus those only found through entry tags
     */
    record Snapshot(Map<Digest, Descriptor> indexed, Map<Digest, Descriptor> all) {

        boolean complete() {
            return indexed.keySet().containsAll(all.keySet());
        }
    }

    private final RegistryClient client;

    ReferrersTagIndex(RegistryClient client) {
        this.client = client;
    }

    /** Adds {@code artifact}, whose subject is {@code subject}, to the referrers of {@code subject}. */
    void add(String repository, Digest subject, Manifest artifact) {
        ConcurrentWrites.retry(() -> client.putManifest(repository, ReferrersTag.entry(subject, artifact.digest()), artifact));
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Snapshot snapshot = read(repository, subject);
            snapshot.all().putIfAbsent(artifact.digest(), Referrers.descriptorOf(artifact));
            if (snapshot.complete()) {
                return;
            }
            List<Descriptor> entries = snapshot.all().values().stream()
                    .sorted(Comparator.comparing(d -> d.digest().toString()))
                    .toList();
            Manifest index = Manifest.index(MediaTypes.OCI_INDEX, entries, null, null, null);
            ConcurrentWrites.retry(() -> client.putManifest(repository, ReferrersTag.index(subject), index));
        }
        throw new RegistryException("the referrers index " + repository + ":" + ReferrersTag.index(subject) + " at "
                + client.registry() + " kept changing under concurrent writers; " + artifact.digest()
                + " is stored and tagged " + ReferrersTag.entry(subject, artifact.digest()) + ", attach it again to"
                + " complete the index", 0, List.of());
    }

    Snapshot read(String repository, Digest subject) {
        Map<Digest, Descriptor> indexed = new LinkedHashMap<>();
        String indexTag = ReferrersTag.index(subject);
        Optional<Manifest> index = client.findManifest(repository, indexTag);
        if (index.isPresent()) {
            if (!MediaTypes.OCI_INDEX.equals(index.get().mediaType())) {
                throw new RegistryException(repository + ":" + indexTag + " at " + client.registry() + " should be the"
                        + " referrers index of " + subject + " but is a " + index.get().mediaType(), 0, List.of());
            }
            index.get().manifests().forEach(entry -> indexed.put(entry.digest(), entry));
        }
        Map<Digest, Descriptor> all = new LinkedHashMap<>(indexed);
        for (String tag : client.listTags(repository)) {
            Optional<String> prefix = ReferrersTag.entryPrefix(subject, tag);
            if (prefix.isEmpty() || all.keySet().stream().anyMatch(d -> d.hex().startsWith(prefix.get()))) {
                continue;
            }
            client.findManifest(repository, tag)
                    .filter(entry -> entry.subject().map(s -> s.digest().equals(subject)).orElse(false))
                    .ifPresent(entry -> all.put(entry.digest(), Referrers.descriptorOf(entry)));
        }
        return new Snapshot(indexed, all);
    }
}
