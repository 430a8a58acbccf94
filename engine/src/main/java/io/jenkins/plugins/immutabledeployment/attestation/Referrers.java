package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The referrers of manifests in one registry: storing a manifest that has a {@code subject} so that it can be
 * found from the subject, and finding them again. Through the OCI 1.1 referrers API where the registry has it
 * (it answers a manifest {@code PUT} with an {@code OCI-Subject} header, and {@code GET .../referrers/<digest>});
 * else through the referrers tag schema, maintained by {@link ReferrersTagIndex}. Thread-safe.
 */
public final class Referrers {

    private final RegistryClient client;
    private final ReferrersTagIndex tagIndex;

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
        if (ConcurrentWrites.retry(() -> client.putManifestWithSubject(repository, artifact))) {
            return new Attached(descriptorOf(artifact), ReferrerMechanism.REFERRERS_API);
        }
        tagIndex.add(repository, subject, artifact);
        return new Attached(descriptorOf(artifact), ReferrerMechanism.TAG_SCHEMA);
    }

    /** The referrers of {@code subject}, all artifact types. */
    public Listing list(String repository, Digest subject) {
        Optional<List<Descriptor>> api = client.referrers(repository, subject, null);
        if (api.isPresent()) {
            return new Listing(api.get(), ReferrerMechanism.REFERRERS_API);
        }
        return new Listing(List.copyOf(tagIndex.read(repository, subject).all().values()), ReferrerMechanism.TAG_SCHEMA);
    }

    /** The referrers of {@code subject} with the given artifact type. */
    public List<Descriptor> list(String repository, Digest subject, String artifactType) {
        Optional<List<Descriptor>> api = client.referrers(repository, subject, artifactType);
        List<Descriptor> all = api.orElseGet(() -> List.copyOf(tagIndex.read(repository, subject).all().values()));
        // Registries may ignore the filter (no OCI-Filters-Applied header), so it is always applied here too.
        return all.stream().filter(d -> artifactType.equals(d.artifactType())).toList();
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
