package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.ParallelTasks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The referrers of manifests in one registry: storing a manifest that has a {@code subject} so that it can be
 * found from the subject, and finding them again. Through the OCI 1.1 referrers API where the registry has it
 * (it answers a manifest {@code PUT} with an {@code OCI-Subject} header, and {@code GET .../referrers/<digest>});
 * else through the referrers tag schema, maintained by {@link ReferrersTagIndex}. Thread-safe.
 */
public final class Referrers {

    /** Requests made at once: subjects looked up, or artifacts stored. */
    static final int PARALLEL_REQUESTS = 3;

    private final RegistryClient client;
    private final ReferrersTagIndex tagIndex;
    /**
     * Whether the registry has the referrers API, once an answer said so (then it is not asked again): a registry
     * that has it never answers a referrers request about a repository that exists with 404 (distribution spec), and
     * answers a manifest {@code PUT} with a subject with {@code OCI-Subject}.
     */
    private volatile Boolean api;
    /** The tags {@link #tree} listed, by repository: a subject without tags there needs no index read to attach. */
    private final Map<String, List<String>> listedTags = new ConcurrentHashMap<>();

    public Referrers(RegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.tagIndex = new ReferrersTagIndex(client);
    }

    /**
     * Stores {@code artifact} (its blobs must be in the repository already) and makes it findable from its
     * subject. Idempotent: attaching the same bytes again adds no second entry.
     */
    public Attached attach(String repository, Manifest artifact) {
        Digest subject = artifact.subject()
                .orElseThrow(() -> new IllegalArgumentException("manifest " + artifact.digest() + " has no subject"))
                .digest();
        return attach(repository, subject, List.of(artifact)).get(0);
    }

    /**
     * Stores {@code artifacts}, all with the subject {@code subject}, and makes them findable from it, at once: by
     * digest where the registry has the referrers API, else each under its entry tag and then in one index write.
     */
    public List<Attached> attach(String repository, Digest subject, List<Manifest> artifacts) {
        if (!Boolean.FALSE.equals(api)) {
            List<Manifest> unindexed = Collections.synchronizedList(new ArrayList<>());
            ParallelTasks.forEach(artifacts, PARALLEL_REQUESTS, artifact -> {
                if (!ConcurrentWrites.retry(() -> client.putManifestWithSubject(repository, artifact))) {
                    unindexed.add(artifact);
                }
            });
            if (unindexed.isEmpty()) {
                api = true;
                return attached(artifacts, ReferrerMechanism.REFERRERS_API);
            }
            api = false;
        }
        boolean listedWithout = Optional.ofNullable(listedTags.get(repository))
                .map(tags -> !ReferrersTag.anyOf(subject, tags)).orElse(false);
        tagIndex.add(repository, subject, artifacts, listedWithout);
        return attached(artifacts, ReferrerMechanism.TAG_SCHEMA);
    }

    private static List<Attached> attached(List<Manifest> artifacts, ReferrerMechanism mechanism) {
        return artifacts.stream().map(artifact -> new Attached(descriptorOf(artifact), mechanism)).toList();
    }

    /** The referrers of {@code subject}, all artifact types. */
    public Listing list(String repository, Digest subject) {
        Optional<List<Descriptor>> api = viaApi(repository, subject, null);
        if (api.isPresent()) {
            return new Listing(api.get(), ReferrerMechanism.REFERRERS_API);
        }
        return new Listing(List.copyOf(tagIndex.read(repository, subject).all().values()), ReferrerMechanism.TAG_SCHEMA);
    }

    /** The referrers of {@code subject} with the given artifact type. */
    public List<Descriptor> list(String repository, Digest subject, String artifactType) {
        Optional<List<Descriptor>> api = viaApi(repository, subject, artifactType);
        List<Descriptor> all = api.orElseGet(() -> List.copyOf(tagIndex.read(repository, subject).all().values()));
        // Registries may ignore the filter (no OCI-Filters-Applied header), so it is always applied here too.
        return all.stream().filter(d -> artifactType.equals(d.artifactType())).toList();
    }

    /**
     * The referrers of {@code subject}, of those, and so on, {@code depth} levels deep: each subject with its
     * referrers (empty lists included). Through the API one request per subject, a few at once; through the tag
     * schema one tag list for all, and then only the indexes it shows.
     */
    public Map<Digest, List<Descriptor>> tree(String repository, Digest subject, int depth) {
        Map<Digest, List<Descriptor>> tree = new ConcurrentHashMap<>();
        Optional<List<Descriptor>> top = viaApi(repository, subject, null);
        List<String> tags = top.isPresent() ? List.of() : client.listTags(repository);
        if (top.isEmpty()) {
            listedTags.put(repository, tags);
        }
        tree.put(subject, top.orElseGet(() -> viaTags(repository, subject, tags)));
        List<Digest> level = List.of(subject);
        for (int d = 2; d <= depth; d++) {
            level = level.stream().flatMap(s -> tree.get(s).stream()).map(Descriptor::digest)
                    .filter(referrer -> !tree.containsKey(referrer)).distinct().toList();
            ParallelTasks.forEach(level, PARALLEL_REQUESTS, s -> tree.put(s, top.isPresent()
                    ? viaApi(repository, s, null).orElse(List.of()) : viaTags(repository, s, tags)));
        }
        return tree;
    }

    private List<Descriptor> viaTags(String repository, Digest subject, List<String> tags) {
        return List.copyOf(tagIndex.readListed(repository, subject, tags).all().values());
    }

    /** The referrers API's answer; empty without the API (known from an earlier answer, or answered 404 now). */
    private Optional<List<Descriptor>> viaApi(String repository, Digest subject, String artifactType) {
        if (Boolean.FALSE.equals(api)) {
            return Optional.empty();
        }
        Optional<List<Descriptor>> answer = client.referrers(repository, subject, artifactType);
        if (api == null || answer.isPresent()) {
            api = answer.isPresent();
        }
        return answer;
    }

    /**
     * A referrers list and where it came from.
     *
     * @param referrers descriptors of the manifests whose subject is the manifest asked about
     */
    public record Listing(List<Descriptor> referrers, ReferrerMechanism mechanism) {

        public Listing {
            referrers = List.copyOf(referrers);
        }
    }

    /**
     * The descriptor of a referrer as the spec wants it in a referrers list: its {@code artifactType} (the config
     * media type when it has none) and all of its annotations.
     */
    static Descriptor descriptorOf(Manifest artifact) {
        String artifactType = artifact.artifactType() != null ? artifact.artifactType()
                : artifact.config().map(Descriptor::mediaType).orElse(null);
        Map<String, String> annotations = new LinkedHashMap<>();
        artifact.json().path("annotations").properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                annotations.put(e.getKey(), e.getValue().asText());
            }
        });
        return new Descriptor(artifact.mediaType(), artifact.digest(), artifact.size(), artifactType, annotations, null);
    }
}
