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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        String predicateType = Statement.parse(envelope.payloadBytes()).predicateType();
        Map<String, String> annotations = created();
        annotations.put(ArtifactTypes.PREDICATE_TYPE_ANNOTATION, predicateType);
        return attach(image, ArtifactTypes.DSSE_ENVELOPE, () -> {
            Descriptor uploaded = client.uploadBlob(image.repository(), envelope.toJson(), ArtifactTypes.DSSE_ENVELOPE);
            return new Descriptor(uploaded.mediaType(), uploaded.digest(), uploaded.size(), null,
                    Map.of(ArtifactTypes.PREDICATE_TYPE_ANNOTATION, predicateType), null);
        }, annotations);
    }

    /** Attaches an SBOM file to {@code image}, which must be pinned by digest; the file is streamed. */
    public Attached attachSbom(ImageRef image, Sbom sbom, Progress progress) {
        return attach(image, sbom.mediaType(), () -> {
            if (!client.blobExists(image.repository(), sbom.digest())) {
                client.uploadBlob(image.repository(), sbom.blob(), progress);
            }
            return new Descriptor(sbom.mediaType(), sbom.digest(), sbom.size(), null,
                    Map.of(ArtifactTypes.TITLE_ANNOTATION, sbom.file().getFileName().toString()), null);
        }, created());
    }

    /**
     * Stores an artifact of one layer about {@code image} and attaches it. The image's manifest (the artifact's
     * {@code subject}) is read while the layer and the empty config are uploaded: the callers have just stored the
     * image, and blobs are not visible until a manifest refers to them.
     */
    private Attached attach(
            ImageRef image, String artifactType, Supplier<Descriptor> layerUpload, Map<String, String> annotations) {
        Digest digest = image.requireDigest("image");
        AtomicReference<Descriptor> subject = new AtomicReference<>();
        AtomicReference<Descriptor> layer = new AtomicReference<>();
        AtomicReference<Descriptor> config = new AtomicReference<>();
        ParallelTasks.<Runnable>forEach(List.of(
                () -> {
                    Manifest manifest = client.getManifest(image.repository(), digest.toString());
                    subject.set(Descriptor.of(manifest.mediaType(), manifest.digest(), manifest.size()));
                },
                () -> layer.set(layerUpload.get()),
                () -> config.set(client.uploadBlob(image.repository(), EMPTY_CONFIG, MediaTypes.OCI_EMPTY))),
                3, Runnable::run);
        Manifest artifact = Manifest.imageManifest(
                MediaTypes.OCI_MANIFEST, config.get(), List.of(layer.get()), artifactType, subject.get(), annotations);
        return referrers.attach(image.repository(), artifact);
    }

    /** Sorted annotations (a stable byte form) starting with the creation time. */
    private Map<String, String> created() {
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(ArtifactTypes.CREATED_ANNOTATION, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        return annotations;
    }
}
