package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.Attached;
import io.jenkins.plugins.immutabledeployment.attestation.ArtifactAttacher;
import io.jenkins.plugins.immutabledeployment.attestation.ImageWithReferrersCopier;
import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageCopier;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.IntegrityException;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryException;
import io.jenkins.plugins.immutabledeployment.oci.TagConflictException;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.provenance.Attestations;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.provenance.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Promotes an image by digest. In this order, so that a refusal or failure leaves no tag and no record behind:
 *
 * <ol>
 *   <li>pin the source (a tag only when asked to resolve it, once) and read its manifest;
 *   <li>check the gates against the source's attestations, and the target tag against the tag policy — reads only;
 *   <li>copy the image by digest, untagged, then what is attached to it (attestations, SBOMs);
 *   <li>read the image back from the target and check that its digest is the source's (else fail, no tag);
 *   <li>write the tag;
 *   <li>attach the promotion attestation (signed when a key is given) to the digest in the target repository.
 * </ol>
 */
public final class Promoter {

    private final RegistryClient source;
    private final RegistryClient target;
    private final Clock clock;
    private final Progress progress;

    /**
     * @param source a client of the source image's registry
     * @param target a client of the target's registry; may be the same client
     */
    public Promoter(RegistryClient source, RegistryClient target, Clock clock, Progress progress) {
        this.source = source;
        this.target = target;
        this.clock = clock;
        this.progress = progress;
    }

    public PromotionResult promote(Promotion promotion) {
        ImageRef to = promotion.target();
        ImageRef from = pin(promotion.image());
        String resolvedFrom = promotion.image().digest() == null ? promotion.image().toString() : null;
        Digest digest = from.digest();
        source.getManifest(from.repository(), digest.toString()); // a missing source fails here, before the gates

        List<GateResult> gates = ImageGates.check(source, from, promotion.gates());
        gates.forEach(g -> progress.report(g.describe()));
        checkTagPolicy(promotion, digest);

        ImageRef untagged = to.withTag(null);
        new ImageCopier(source, target, progress).copy(from, untagged, TagPolicy.IMMUTABLE);
        List<Descriptor> referrers = new ImageWithReferrersCopier(source, target, progress).copyReferrers(from, untagged);
        Manifest copied = readBack(untagged, digest);
        if (to.tag() != null) {
            target.putManifest(to.repository(), to.tag(), copied);
            progress.report("Tagged " + to + " → " + digest);
        }

        PromotionPredicate predicate = PromotionPredicate.of(promotion.stage(), from.toString(), to.toString(),
                        clock.instant())
                .withApproval(promotion.approval())
                .withBuildUrl(promotion.buildUrl())
                .withResolvedFrom(resolvedFrom);
        Statement statement = predicate.toStatement(to.name(), digest);
        Envelope envelope = Attestations.seal(statement, promotion.signingKey());
        Attached attached = new ArtifactAttacher(target, clock).attachAttestation(untagged.withDigest(digest), envelope);
        progress.report("Recorded the promotion to stage " + promotion.stage() + ": "
                + (promotion.signingKey() == null ? "unsigned" : "signed") + " attestation " + attached.digest()
                + " (" + attached.mechanism() + ")");
        return new PromotionResult(to.name() + "@" + digest, digest, to.name(), to.tag(), promotion.stage(),
                from.toString(), resolvedFrom,
                promotion.approval() == null ? null : promotion.approval().approver(), attached.digest(),
                promotion.signingKey() != null,
                promotion.signingKey() == null ? null : promotion.signingKey().keyid(),
                gates, referrers.size(), attached.mechanism());
    }

    /** The source pinned by digest: as given, or its tag resolved once. */
    private ImageRef pin(ImageRef image) {
        if (image.digest() != null) {
            return image.pinned("image");
        }
        Digest digest = source.resolve(image);
        progress.report("Resolved " + image + " to " + digest + " (recorded as resolvedFrom)");
        return image.withTag(null).withDigest(digest);
    }

    private void checkTagPolicy(Promotion promotion, Digest digest) {
        ImageRef to = promotion.target();
        if (to.tag() == null || promotion.tagPolicy() != TagPolicy.IMMUTABLE) {
            return;
        }
        Optional<Digest> existing = target.resolve(to.repository(), to.tag());
        if (existing.isPresent() && !existing.get().equals(digest)) {
            throw new TagConflictException(to.toString(), existing.get(), digest);
        }
    }

    /** The copied manifest as the target serves it, checked to be the source's digest. */
    private Manifest readBack(ImageRef untagged, Digest digest) {
        Optional<Manifest> copied;
        try {
            copied = target.findManifest(untagged.repository(), digest.toString());
        } catch (IntegrityException e) {
            throw new IntegrityException("the target digest does not equal the source digest: " + e.getMessage()
                    + "; no tag was written");
        }
        if (copied.isEmpty()) {
            throw new RegistryException("after the copy, " + untagged.name() + "@" + digest
                    + " is not in the target; no tag was written", 404, List.of("MANIFEST_UNKNOWN"));
        }
        if (!copied.get().digest().equals(digest)) {
            throw new IntegrityException("after the copy, " + untagged.name() + " holds " + copied.get().digest()
                    + " instead of the source digest " + digest + "; no tag was written");
        }
        return copied.get();
    }
}
