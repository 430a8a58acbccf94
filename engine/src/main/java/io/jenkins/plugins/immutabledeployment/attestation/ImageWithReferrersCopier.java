package io.jenkins.plugins.immutabledeployment.attestation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.CopyResult;
import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageCopier;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.ParallelTasks;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies an image together with what is attached to it (attestations, SBOMs, and what is attached to those), so
 * that they travel with the image across repositories and registries. Each referrer is copied byte for byte (its
 * blobs mounted within a registry, streamed between registries, by the image's {@link ImageCopier}, so a blob
 * they share moves once) and then attached in the target the way the target registry supports (referrers API or
 * tag schema), whatever the source used.
 *
 * <p>The referrers are found with one lookup per registry ({@link Referrers#tree}); those of one subject are
 * copied at once, and attached together.
 */
public final class ImageWithReferrersCopier {

    /** How deep referrers of referrers are followed (an attestation about a signature about an image: 3). */
    static final int MAX_DEPTH = 4;
    /** Referrers copied at once. */
    static final int PARALLEL_REFERRERS = 3;

    private final RegistryClient source;
    private final RegistryClient target;
    private final Progress progress;

    /**
     * @param source a client of the source image's registry
     * @param target a client of the target's registry; may be the same client
     */
    public ImageWithReferrersCopier(RegistryClient source, RegistryClient target, Progress progress) {
        this.source = source;
        this.target = target;
        this.progress = progress;
    }

    /**
     * Copies the image, then its referrers, then writes the tag ({@link ImageCopier#copy}: the tag last, once the
     * image and what is attached to it are complete in the target).
     *
     * @param from pinned by digest
     * @param to {@code REPO[:TAG]}
     */
    public Copied copy(ImageRef from, ImageRef to, TagPolicy policy) {
        Digest digest = from.requireDigest("image");
        List<Attached> attached = new ArrayList<>();
        ImageCopier images = new ImageCopier(source, target, progress);
        Referrers sourceReferrers = new Referrers(source);
        AtomicReference<Map<Digest, List<Descriptor>>> atSource = new AtomicReference<>(Map.of());
        CopyResult image = images.copy(from, to, policy,
                () -> {
                    if (copiesReferrers(from, to)) {
                        atSource.set(sourceReferrers.tree(from.repository(), digest, MAX_DEPTH));
                    }
                },
                pinned -> attached.addAll(copyReferrers(images, from, to, sourceReferrers, atSource.get())));
        return new Copied(image, attached);
    }

    /**
     * Copies the referrers of {@code from}'s digest into {@code to}'s repository (the image must be there
     * already); those the target has are skipped. Returns the referrers copied.
     */
    public List<Descriptor> copyReferrers(ImageRef from, ImageRef to) {
        Digest digest = from.requireDigest("image");
        if (!copiesReferrers(from, to)) {
            return List.of();
        }
        Referrers sourceReferrers = new Referrers(source);
        return copyReferrers(new ImageCopier(source, target, Progress.NONE), from, to, sourceReferrers,
                sourceReferrers.tree(from.repository(), digest, MAX_DEPTH)).stream().map(Attached::referrer).toList();
    }

    /** Within one repository the referrers are there already. */
    private static boolean copiesReferrers(ImageRef from, ImageRef to) {
        return !(from.sameRegistry(to) && from.repository().equals(to.repository()));
    }

    /** @param tree the source's referrers ({@link Referrers#tree}) */
    private List<Attached> copyReferrers(ImageCopier images, ImageRef from, ImageRef to, Referrers sourceReferrers,
            Map<Digest, List<Descriptor>> tree) {
        Digest digest = from.requireDigest("image");
        Referrers targetReferrers = source == target ? sourceReferrers : new Referrers(target);
        if (tree.values().stream().allMatch(List::isEmpty)) {
            return List.of();
        }
        Set<Digest> present = new HashSet<>();
        targetReferrers.tree(to.repository(), digest, MAX_DEPTH).values()
                .forEach(referrers -> referrers.forEach(d -> present.add(d.digest())));
        List<Attached> copied = new ArrayList<>();
        Set<Digest> seen = new HashSet<>();
        List<Digest> level = List.of(digest);
        for (int depth = 1; depth <= MAX_DEPTH && !level.isEmpty(); depth++) {
            List<Digest> next = new ArrayList<>();
            for (Digest subject : level) {
                List<Descriptor> missing = new ArrayList<>();
                for (Descriptor referrer : tree.getOrDefault(subject, List.of())) {
                    if (seen.add(referrer.digest())) {
                        next.add(referrer.digest());
                        if (!present.contains(referrer.digest())) {
                            missing.add(referrer);
                        }
                    }
                }
                copied.addAll(copyAndAttach(images, from.repository(), to.repository(), subject, missing, targetReferrers));
            }
            level = next;
        }
        if (!copied.isEmpty()) {
            progress.report("Copied " + copied.size() + " attached artifact(s) (attestations, SBOMs) to " + to.name());
        }
        return copied;
    }

    /** Copies the referrers of one subject at once (manifests read, blobs copied), then attaches them together. */
    private List<Attached> copyAndAttach(ImageCopier images, String fromRepository, String toRepository,
            Digest subject, List<Descriptor> referrers, Referrers targetReferrers) {
        if (referrers.isEmpty()) {
            return List.of();
        }
        Map<Digest, Manifest> manifests = new ConcurrentHashMap<>();
        ParallelTasks.forEach(referrers, PARALLEL_REFERRERS, referrer -> {
            Manifest manifest = source.getManifest(fromRepository, referrer.digest().toString());
            images.copyContent(fromRepository, manifest, toRepository);
            manifests.put(referrer.digest(), manifest);
        });
        List<Manifest> ordered = referrers.stream().map(r -> manifests.get(r.digest())).toList();
        List<Attached> attached = targetReferrers.attach(toRepository, subject, ordered);
        for (Descriptor referrer : referrers) {
            progress.report("  " + referrer.digest().shortHex() + ": " + describe(referrer));
        }
        return attached;
    }

    private static String describe(Descriptor referrer) {
        String predicateType = referrer.annotations().get(ArtifactTypes.PREDICATE_TYPE_ANNOTATION);
        return referrer.artifactType() + (predicateType == null ? "" : " (" + predicateType + ")");
    }

    /**
     * What a copy did; its JSON form is the image copy's fields plus {@code referrersCopied} and {@code referrers},
     * as in a promotion's result.
     *
     * @param image what the image copy did
     * @param attached the referrers copied (those the target already had are not listed)
     */
    public record Copied(@JsonUnwrapped CopyResult image, @JsonIgnore List<Attached> attached) {

        public Copied {
            attached = List.copyOf(attached);
        }

        /** How many attached artifacts (attestations, SBOMs) were copied with the image. */
        @JsonProperty
        public int referrersCopied() {
            return attached.size();
        }

        /** How the target registry lists what is attached to the image, or {@code null} when nothing was copied. */
        @JsonProperty
        public ReferrerMechanism referrers() {
            return attached.isEmpty() ? null : attached.get(attached.size() - 1).mechanism();
        }
    }
}
