package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.MediaTypes;
import io.jenkins.plugins.immutabledeployment.oci.ParallelTasks;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import io.jenkins.plugins.immutabledeployment.provenance.Statement;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Attaches artifacts to an image in its registry: an OCI 1.1 artifact manifest whose {@code subject} is the
 * image manifest, with the empty config ({@value MediaTypes#OCI_EMPTY}, {@code {}}) and one layer holding the
 * content, stored and made findable by {@link Referrers}.
 *
 * <ul>
 *   <li>attestation: artifactType and layer media type {@value ArtifactTypes#DSSE_ENVELOPE}, the DSSE envelope
 *       as the layer, annotated with its in-toto predicate type;
 *   <li>SBOM: artifactType and layer media type {@value ArtifactTypes#CYCLONEDX_JSON} or
 *       {@value ArtifactTypes#SPDX_JSON}, the file as the layer, annotated with its file name.
 * </ul>
 */
public final class ArtifactAttacher {

    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);

    private final RegistryClient client;
    private final Referrers referrers;
    private final Clock clock;

    /** @param client a client of the image's registry */
    public ArtifactAttacher(RegistryClient client, Clock clock) {
        this.client = client;
        this.referrers = new Referrers(client);
        this.clock = clock;
    }

    /**
     * Attaches a DSSE envelope of an in-toto statement to {@code image}, which must be pinned by digest.
     *
     * @throws io.jenkins.plugins.immutabledeployment.provenance.MalformedAttestationException if the envelope does
     *     not carry an in-toto statement
     */
    public Attached attachAttestation(ImageRef image, Envelope envelope) {
        return attach(image, List.of(attestation(image, envelope))).get(0);
    }

    /** Attaches an SBOM file to {@code image}, which must be pinned by digest; the file is streamed. */
    public Attached attachSbom(ImageRef image, Sbom sbom, Progress progress) {
        return attach(image, List.of(sbom(image, sbom, progress))).get(0);
    }

    /**
     * Attaches an attestation and an SBOM to {@code image} at once (their blobs uploaded together, their manifests
     * stored and made findable together: one referrers index write in the tag schema). Returns what was attached in
     * that order; either may be {@code null} and is then left out.
     */
    public List<Attached> attach(ImageRef image, Envelope envelope, Sbom sbom, Progress progress) {
        List<Artifact> artifacts = new ArrayList<>();
        if (envelope != null) {
            artifacts.add(attestation(image, envelope));
        }
        if (sbom != null) {
            artifacts.add(sbom(image, sbom, progress));
        }
        return artifacts.isEmpty() ? List.of() : attach(image, artifacts);
    }

    /** An artifact of one layer on its way: its type, its annotations, and the upload of its layer. */
    private record Artifact(String type, Map<String, String> annotations, Supplier<Descriptor> layerUpload) {}

    private Artifact attestation(ImageRef image, Envelope envelope) {
        String predicateType = Statement.parse(envelope.payloadBytes()).predicateType();
        Map<String, String> annotations = created();
        annotations.put(ArtifactTypes.PREDICATE_TYPE_ANNOTATION, predicateType);
        return new Artifact(ArtifactTypes.DSSE_ENVELOPE, annotations, () -> {
            Descriptor uploaded = client.uploadBlob(image.repository(), envelope.toJson(), ArtifactTypes.DSSE_ENVELOPE);
            return new Descriptor(uploaded.mediaType(), uploaded.digest(), uploaded.size(), null,
                    Map.of(ArtifactTypes.PREDICATE_TYPE_ANNOTATION, predicateType), null);
        });
    }

    private Artifact sbom(ImageRef image, Sbom sbom, Progress progress) {
        return new Artifact(sbom.mediaType(), created(), () -> {
            if (!client.blobExists(image.repository(), sbom.digest())) {
                client.uploadBlob(image.repository(), sbom.blob(), progress);
            }
            return new Descriptor(sbom.mediaType(), sbom.digest(), sbom.size(), null,
                    Map.of(ArtifactTypes.TITLE_ANNOTATION, sbom.file().getFileName().toString()), null);
        });
    }

    /**
     * Stores {@code artifacts} about {@code image} and attaches them. The image's manifest (their {@code subject}) is
     * read while their layers and the empty config are uploaded: the callers have just stored the image, and blobs
     * are not visible until a manifest refers to them.
     */
    private List<Attached> attach(ImageRef image, List<Artifact> artifacts) {
        Digest digest = image.requireDigest("image");
        AtomicReference<Descriptor> subject = new AtomicReference<>();
        AtomicReference<Descriptor> config = new AtomicReference<>();
        Map<Artifact, Descriptor> layers = new ConcurrentHashMap<>();
        List<Runnable> steps = new ArrayList<>(List.of(
                () -> {
                    Manifest manifest = client.getManifest(image.repository(), digest.toString());
                    subject.set(Descriptor.of(manifest.mediaType(), manifest.digest(), manifest.size()));
                },
                () -> config.set(client.uploadBlob(image.repository(), EMPTY_CONFIG, MediaTypes.OCI_EMPTY))));
        artifacts.forEach(artifact -> steps.add(() -> layers.put(artifact, artifact.layerUpload().get())));
        ParallelTasks.forEach(steps, steps.size(), Runnable::run);
        List<Manifest> manifests = artifacts.stream().map(artifact -> Manifest.imageManifest(MediaTypes.OCI_MANIFEST,
                config.get(), List.of(layers.get(artifact)), artifact.type(), subject.get(), artifact.annotations()))
                .toList();
        return referrers.attach(image.repository(), digest, manifests);
    }

    /** Sorted annotations (a stable byte form) starting with the creation time. */
    private Map<String, String> created() {
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(ArtifactTypes.CREATED_ANNOTATION, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        return annotations;
    }
}
