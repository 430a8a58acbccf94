package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.MediaTypes;
import io.jenkins.plugins.immutabledeployment.oci.ParallelTasks;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

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
    /** Entry tags written at once. */
    static final int PARALLEL_WRITES = 3;

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

    /**
     * Adds {@code artifacts}, whose subject is {@code subject}, to the referrers of {@code subject}: their entry tags
     * (which store them) at once, then one index write for all of them.
     *
     * @param listedWithout the repository's tags were listed just before and showed no index or entry tag of
     *     {@code subject}: the first index write needs no read (the check after it finds what others wrote since)
     */
    void add(String repository, Digest subject, List<Manifest> artifacts, boolean listedWithout) {
        ParallelTasks.forEach(artifacts, PARALLEL_WRITES, artifact -> ConcurrentWrites.retry(() ->
                client.putManifest(repository, ReferrersTag.entry(subject, artifact.digest()), artifact)));
        Map<Digest, Descriptor> added = new LinkedHashMap<>();
        artifacts.forEach(artifact -> added.put(artifact.digest(), Referrers.descriptorOf(artifact)));
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Snapshot snapshot = round == 0 && listedWithout ? new Snapshot(Map.of(), added)
                    : read(repository, subject, added);
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
                + client.registry() + " kept changing under concurrent writers; " + added.keySet() + " are stored and"
                + " tagged " + ReferrersTag.index(subject) + ".<hex>, attach them again to complete the index", 0,
                List.of());
    }

    Snapshot read(String repository, Digest subject) {
        return read(repository, subject, Map.of());
    }

    /**
     * Like {@link #read(String, Digest, Optional, List, Map)}, listing the tags at the same time as the index is
     * read: each read starts after the caller's last write, which is all the check after an index write needs.
     */
    private Snapshot read(String repository, Digest subject, Map<Digest, Descriptor> known) {
        AtomicReference<List<String>> tags = new AtomicReference<>();
        AtomicReference<Optional<Manifest>> index = new AtomicReference<>();
        ParallelTasks.<Runnable>forEach(List.of(
                () -> tags.set(client.listTags(repository)),
                () -> index.set(client.findManifest(repository, ReferrersTag.index(subject)))), 2, Runnable::run);
        return read(repository, subject, index.get(), tags.get(), known);
    }

    /**
     * What the tag schema holds for {@code subject}, for a reader who listed the repository's {@code tags} already:
     * nothing is read when they hold neither the index tag nor an entry tag of {@code subject}.
     */
    Snapshot readListed(String repository, Digest subject, List<String> tags) {
        if (!ReferrersTag.anyOf(subject, tags)) {
            return new Snapshot(Map.of(), Map.of());
        }
        return read(repository, subject, client.findManifest(repository, ReferrersTag.index(subject)), tags, Map.of());
    }

    /**
     * What the tag schema holds for {@code subject}: the {@code index} (read already), and the entry tags among
     * {@code tags} (the repository's, listed before) that it lacks, of which those in {@code known} (descriptors this
     * writer has) are not read.
     */
    private Snapshot read(String repository, Digest subject, Optional<Manifest> index, List<String> tags,
            Map<Digest, Descriptor> known) {
        Map<Digest, Descriptor> indexed = new LinkedHashMap<>();
        String indexTag = ReferrersTag.index(subject);
        if (index.isPresent()) {
            if (!MediaTypes.OCI_INDEX.equals(index.get().mediaType())) {
                throw new RegistryException(repository + ":" + indexTag + " at " + client.registry() + " should be the"
                        + " referrers index of " + subject + " but is a " + index.get().mediaType(), 0, List.of());
            }
            index.get().manifests().forEach(entry -> indexed.put(entry.digest(), entry));
        }
        Map<Digest, Descriptor> all = new LinkedHashMap<>(indexed);
        known.forEach(all::putIfAbsent);
        for (String tag : tags) {
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
