package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.Attached;
import io.jenkins.plugins.immutabledeployment.attestation.ArtifactAttacher;
import io.jenkins.plugins.immutabledeployment.attestation.ImageWithReferrersCopier;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.ParallelTasks;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagConflictException;
import io.jenkins.plugins.immutabledeployment.oci.TagWriter;
import io.jenkins.plugins.immutabledeployment.provenance.Attestations;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.provenance.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Promotes an image by digest. In this order, so that a refusal or failure leaves no tag and no record behind:
 *
 * <ol>
 *   <li>pin the source (a tag only when asked to resolve it, once) and read its manifest;
 *   <li>check the gates against the source's attestations, and the target tag against the tag policy — reads only,
 *       made at once with the copy's first reads, and also available alone ({@link #check}) to be made before an
 *       approval is asked for;
 *   <li>copy the image by digest (the target digest is the source's) with what is attached to it (attestations,
 *       SBOMs), along the image's copy: read with its first reads, their blobs with its blobs, their manifests once
 *       the image's is stored ({@link ImageWithReferrersCopier});
 *   <li>attach the promotion attestation (signed when a key is given) to the digest in the target repository;
 *   <li>write the tag, last ({@link TagWriter}): a failure before it leaves no tag, and no tag without its record.
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

    /**
     * Reads only: pins the source (a tag-only image resolved once, when asked to), reads its manifest, checks the
     * gates against its attestations and the target tag against the tag policy. Made before an approval is asked
     * for, so that nobody is asked to approve what cannot be promoted.
     *
     * @return the promotion pinned, to be made later with {@link #promote}
     * @throws GateFailedException the first gate that does not pass
     * @throws TagConflictException the target tag points at another digest and may not be moved
     */
    public CheckedPromotion check(Promotion promotion) {
        Promotion pinned = pin(promotion);
        ImageRef from = pinned.image().pinned("image");
        AtomicReference<List<GateResult>> gates = new AtomicReference<>();
        // Reads only, at once: the source and its gates, and the target tag.
        ParallelTasks.<Runnable>forEach(List.of(() -> gates.set(checkSourceAndGates(pinned, from)),
                () -> checkTagPolicy(pinned, from.digest())), 2, Runnable::run);
        return new CheckedPromotion(pinned, gates.get());
    }

    /**
     * Makes the promotion, checking it again ({@link #check}: the source, its gates and the target tag) along the
     * copy's first reads, before anything is written.
     */
    public PromotionResult promote(Promotion promotion) {
        Promotion pinned = pin(promotion);
        ImageRef to = pinned.target();
        ImageRef from = pinned.image().pinned("image");
        String resolvedFrom = pinned.resolvedFrom() == null ? null : pinned.resolvedFrom().toString();
        Digest digest = from.digest();

        // The copy reads the source manifest and claims the target tag; the gates go along with those reads.
        AtomicReference<List<GateResult>> gates = new AtomicReference<>(List.of());
        Runnable checkGates = pinned.gates().any() ? () -> gates.set(checkSourceAndGates(pinned, from)) : null;
        List<Attached> records = new ArrayList<>();
        ImageWithReferrersCopier.Copied copy = new ImageWithReferrersCopier(source, target, progress)
                .copy(from, to, pinned.tagPolicy(), checkGates, copied -> records.add(record(pinned, copied)));
        if (to.tag() != null) {
            progress.report("Tagged " + to + " → " + digest);
        }
        Attached attached = records.get(0);
        return new PromotionResult(to.name() + "@" + digest, digest, to.name(), to.tag(), pinned.stage(),
                from.toString(), resolvedFrom,
                pinned.approval() == null ? null : pinned.approval().approver(), attached.digest(),
                pinned.signingKey() != null,
                pinned.signingKey() == null ? null : pinned.signingKey().keyid(),
                gates.get(), copy.referrersCopied(), attached.mechanism());
    }

    /** Reads the source's manifest, so that a missing source fails as such rather than as a gate, then the gates. */
    private List<GateResult> checkSourceAndGates(Promotion pinned, ImageRef from) {
        source.getManifest(from.repository(), from.digest().toString());
        List<GateResult> passed = ImageGates.check(source, from, pinned.gates());
        passed.forEach(g -> progress.report(g.describe()));
        return passed;
    }

    /** Attaches the promotion attestation to {@code copied}, the image pinned by digest in the target. */
    private Attached record(Promotion pinned, ImageRef copied) {
        String resolvedFrom = pinned.resolvedFrom() == null ? null : pinned.resolvedFrom().toString();
        PromotionPredicate predicate = PromotionPredicate.of(pinned.stage(), pinned.image().pinned("image").toString(),
                        pinned.target().toString(), clock.instant())
                .withApproval(pinned.approval())
                .withBuildUrl(pinned.buildUrl())
                .withResolvedFrom(resolvedFrom);
        Statement statement = predicate.toStatement(pinned.target().name(), copied.digest());
        Envelope envelope = Attestations.seal(statement, pinned.signingKey());
        Attached attached = new ArtifactAttacher(target, clock).attachAttestation(copied, envelope);
        progress.report("Recorded the promotion to stage " + pinned.stage() + ": "
                + (pinned.signingKey() == null ? "unsigned" : "signed") + " attestation " + attached.digest()
                + " (" + attached.mechanism() + ")");
        return attached;
    }

    /** The promotion with its source pinned by digest: as given, or its tag resolved once. */
    private Promotion pin(Promotion promotion) {
        ImageRef image = promotion.image();
        if (image.digest() != null) {
            return promotion;
        }
        Digest digest = source.resolve(image);
        progress.report("Resolved " + image + " to " + digest + " (recorded as resolvedFrom)");
        return promotion.pinnedTo(digest);
    }

    private void checkTagPolicy(Promotion promotion, Digest digest) {
        ImageRef to = promotion.target();
        if (to.tag() != null) {
            new TagWriter(target, progress).claim(to.repository(), to.tag(), digest, promotion.tagPolicy());
        }
    }
}
