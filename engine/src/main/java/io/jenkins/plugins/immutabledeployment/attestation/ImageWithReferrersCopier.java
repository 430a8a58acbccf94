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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Copies an image together with what is attached to it (attestations, SBOMs, and what is attached to those), so
 * that they travel with the image across repositories and registries. Each referrer is copied byte for byte (its
 * blobs mounted within a registry, streamed between registries, by the image's {@link ImageCopier}, so a blob
 * they share moves once) and then attached in the target the way the target registry supports (referrers API or
 * tag schema), whatever the source used.
 *
 * <p>The referrers go along the image's own steps ({@link ImageCopier.Companion}): they are found (one lookup per
 * registry, {@link Referrers#tree}) and their manifests read with the image's first reads, their blobs copied with
 * the image's blobs, and once the image's manifest is stored they are attached, those of one subject together.
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
        return copy(from, to, policy, pinned -> {});
    }

    /**
     * Like {@link #copy(ImageRef, ImageRef, TagPolicy)}, running {@code beforeTag} with the copy pinned by digest once
     * the image and its referrers are complete in the target, before the tag is written (a promotion's record goes
     * there).
     */
    public Copied copy(ImageRef from, ImageRef to, TagPolicy policy, Consumer<ImageRef> beforeTag) {
        return copy(from, to, policy, null, beforeTag);
    }

    /**
     * Like {@link #copy(ImageRef, ImageRef, TagPolicy, Consumer)}, running the caller's reads {@code alsoRead} (a
     * promotion's gates; may be null) at the same time as the copy's first reads, before anything is written.
     */
    public Copied copy(ImageRef from, ImageRef to, TagPolicy policy, Runnable alsoRead, Consumer<ImageRef> beforeTag) {
        ImageCopier images = new ImageCopier(source, target, progress);
        ReferrersCopy referrers = new ReferrersCopy(images, from, to);
        Runnable readReferrers = () -> {
            if (copiesReferrers(from, to)) {
                referrers.read(referrers.sourceReferrers.tree(from.repository(), from.digest(), MAX_DEPTH));
            }
        };
        CopyResult image = images.copy(from, to, policy, new ImageCopier.Companion() {
            @Override
            public void read() {
                if (alsoRead == null) {
                    readReferrers.run();
                } else {
                    ParallelTasks.<Runnable>forEach(List.of(readReferrers, alsoRead), 2, Runnable::run);
                }
            }

            @Override
            public void copyBlobs() {
                referrers.copyBlobs();
            }

            @Override
            public void beforeTag(ImageRef pinned) {
                referrers.attach();
                beforeTag.accept(pinned);
            }
        });
        return new Copied(image, referrers.attached);
    }

    /** Within one repository the referrers are there already. */
    private static boolean copiesReferrers(ImageRef from, ImageRef to) {
        return !(from.sameRegistry(to) && from.repository().equals(to.repository()));
    }

    /**
     * The referrers of one image on their way to the target, in three steps that go along the image's copy: what to
     * copy (reads), their blobs, then their manifests, attached to their subjects.
     */
    private final class ReferrersCopy {
        final ImageCopier images;
        final ImageRef from;
        final ImageRef to;
        final Referrers sourceReferrers = new Referrers(source);
        final Referrers targetReferrers = source == target ? sourceReferrers : new Referrers(target);
        /** The referrers the target lacks, by subject, subjects before their referrers. */
        final Map<Digest, List<Descriptor>> missing = new LinkedHashMap<>();
        final Map<Digest, Manifest> manifests = new ConcurrentHashMap<>();
        final List<Attached> attached = new ArrayList<>();

        ReferrersCopy(ImageCopier images, ImageRef from, ImageRef to) {
            this.images = images;
            this.from = from;
            this.to = to;
        }

        /**
         * Reads what the target has already (its referrers of the digest) and, at the same time, the manifests of
         * the source's referrers ({@code tree}, {@link Referrers#tree}).
         */
        void read(Map<Digest, List<Descriptor>> tree) {
            Digest digest = from.requireDigest("image");
            if (tree.values().stream().allMatch(List::isEmpty)) {
                return;
            }
            Set<Digest> present = ConcurrentHashMap.newKeySet();
            List<Descriptor> all = tree.values().stream().flatMap(List::stream).distinct().toList();
            ParallelTasks.<Runnable>forEach(List.of(
                    () -> targetReferrers.tree(to.repository(), digest, MAX_DEPTH).values()
                            .forEach(referrers -> referrers.forEach(d -> present.add(d.digest()))),
                    () -> ParallelTasks.forEach(all, PARALLEL_REFERRERS, referrer -> manifests.put(referrer.digest(),
                            source.getManifest(from.repository(), referrer.digest().toString())))),
                    2, Runnable::run);
            Set<Digest> seen = new HashSet<>();
            List<Digest> level = List.of(digest);
            for (int depth = 1; depth <= MAX_DEPTH && !level.isEmpty(); depth++) {
                List<Digest> next = new ArrayList<>();
                for (Digest subject : level) {
                    for (Descriptor referrer : tree.getOrDefault(subject, List.of())) {
                        if (seen.add(referrer.digest())) {
                            next.add(referrer.digest());
                            if (!present.contains(referrer.digest())) {
                                missing.computeIfAbsent(subject, s -> new ArrayList<>()).add(referrer);
                            }
                        }
                    }
                }
                level = next;
            }
        }

        /** The blobs of the referrers to copy, a few at once (a blob they share moves once). */
        void copyBlobs() {
            List<Descriptor> referrers = missing.values().stream().flatMap(List::stream).toList();
            ParallelTasks.forEach(referrers, PARALLEL_REFERRERS, referrer ->
                    images.copyContent(from.repository(), manifests.get(referrer.digest()), to.repository()));
        }

        /** Stores the referrers' manifests and attaches them, those of one subject together, subjects first. */
        void attach() {
            missing.forEach((subject, referrers) -> {
                List<Manifest> ordered = referrers.stream().map(r -> manifests.get(r.digest())).toList();
                attached.addAll(targetReferrers.attach(to.repository(), subject, ordered));
                for (Descriptor referrer : referrers) {
                    progress.report("  " + referrer.digest().shortHex() + ": " + describe(referrer));
                }
            });
            if (!attached.isEmpty()) {
                progress.report("Copied " + attached.size() + " attached artifact(s) (attestations, SBOMs) to "
                        + to.name());
            }
        }
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
