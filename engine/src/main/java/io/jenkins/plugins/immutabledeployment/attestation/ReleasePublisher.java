package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.provenance.Attestations;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import io.jenkins.plugins.immutabledeployment.provenance.Statement;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * Pushes a release the way {@code immutableBuild} does: the image, then its SLSA provenance (an in-toto statement
 * about the pushed digest, sealed in a DSSE envelope, signed when a key is given) and optionally an SBOM, both
 * attached to the digest in the registry. Every input is checked before anything is written; the provenance and
 * SBOM are attached once the image is complete, and the tag is written last, so that a failure at any point leaves
 * no new tag (an attestation refers to the image by digest, so it needs no tag).
 */
public final class ReleasePublisher {

    private final RegistryClient client;
    private final Clock clock;
    private final Progress progress;

    /** @param client a client of the target's registry */
    public ReleasePublisher(RegistryClient client, Clock clock, Progress progress) {
        this.client = client;
        this.clock = clock;
        this.progress = progress;
    }

    /**
     * @param target {@code REPO[:TAG]}
     * @param provenance the build's facts, or {@code null} to push without provenance
     * @param signingKey signs the provenance; {@code null} leaves it unsigned (reported as unsigned, never verified)
     * @param sbom a CycloneDX or SPDX JSON file to attach, or {@code null}; anything else is refused as bad input
     *     for {@code sbom}
     */
    public ReleaseResult push(
            ImageArchive archive, ImageRef target, TagPolicy policy, ProvenanceInputs provenance, SigningKey signingKey,
            Path sbom) {
        target.requireNoDigest("image");
        if (provenance != null) {
            // The same checks as the real statement's, made before the push: bad facts are bad input.
            provenance.statement(target.name(), archive.root().digest(), provenance.startedOn());
        }
        return push(archive, target, policy, provenance == null ? null
                : digest -> Attestations.seal(provenance.statement(target.name(), digest, clock.instant()), signingKey), sbom);
    }

    /**
     * As {@link #push(ImageArchive, ImageRef, TagPolicy, ProvenanceInputs, SigningKey, Path)}, with the provenance
     * sealed beforehand, where the signing key is (a Jenkins controller, while the bytes are pushed from an agent),
     * for the archive's digest ({@link ImageArchive#root()}): attached before the tag like any provenance.
     *
     * @param provenance an in-toto statement about the archive's digest in a DSSE envelope, or {@code null}
     * @throws InvalidInputException when the envelope is about another digest
     */
    public ReleaseResult push(ImageArchive archive, ImageRef target, TagPolicy policy, Envelope provenance, Path sbom) {
        target.requireNoDigest("image");
        Digest digest = archive.root().digest();
        if (provenance != null && !Statement.parse(provenance.payloadBytes()).hasSubject(digest)) {
            throw new InvalidInputException("provenance", "is not about the archive's image " + digest,
                    "a statement sealed for the digest of the image pushed");
        }
        return push(archive, target, policy, provenance == null ? null : pushed -> provenance, sbom);
    }

    private ReleaseResult push(ImageArchive archive, ImageRef target, TagPolicy policy, Function<Digest, Envelope> provenance,
            Path sbom) {
        Sbom checkedSbom = sbom == null ? null : Sbom.read(sbom, "sbom");
        Attachments attachments = new Attachments();
        PushResult pushed = new ImagePusher(client, progress).push(archive, target, policy, image -> {
            Envelope envelope = provenance == null ? null : provenance.apply(image.digest());
            List<Attached> attached = new ArtifactAttacher(client, clock).attach(image, envelope, checkedSbom, progress);
            if (envelope != null) {
                attachments.provenance = attached.get(0).digest();
                attachments.signedBy = envelope.isSigned() ? envelope.signatures().get(0).keyid() : null;
                progress.report("Attached " + (envelope.isSigned() ? "signed" : "unsigned") + " provenance "
                        + attachments.provenance + " (" + attached.get(0).mechanism() + ")");
            }
            if (checkedSbom != null) {
                attachments.sbom = attached.get(attached.size() - 1).digest();
                progress.report("Attached SBOM " + attachments.sbom + " (" + checkedSbom.mediaType() + ")");
            }
            attachments.mechanism = attached.isEmpty() ? null : attached.get(0).mechanism();
        });
        return new ReleaseResult(pushed, attachments.provenance, attachments.signedBy != null, attachments.signedBy,
                attachments.sbom, attachments.mechanism);
    }

    /** What was attached to the digest before the tag was written. */
    private static final class Attachments {
        Digest provenance;
        String signedBy;
        Digest sbom;
        ReferrerMechanism mechanism;
    }
}
