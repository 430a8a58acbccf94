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
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Copies an image together with what is attached to it (attestations, SBOMs, and what is attached to those), so
 * that they travel with the image across repositories and registries. Each referrer is copied byte for byte by
 * {@link ImageCopier} (mounted within a registry, streamed between registries) and then attached in the target
 * the way the target registry supports (referrers API or tag schema), whatever the source used.
 */
public final class ImageWithReferrersCopier {

    /** How deep referrers of referrers are followed (an attestation about a signature about an image: 3). */
    static final int MAX_DEPTH = 4;

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
        List<Attached> attached = new ArrayList<>();
        CopyResult image = new ImageCopier(source, target, progress).copy(from, to, policy,
                pinned -> copyReferrers(from, to, attached));
        return new Copied(image, attached);
    }

    /**
     * Copies the referrers of {@code from}'s digest into {@code to}'s repository (the image must be there
     * already); those the target has are skipped. Returns the referrers copied.
     */
    public List<Descriptor> copyReferrers(ImageRef from, ImageRef to) {
        List<Attached> attached = new ArrayList<>();
        copyReferrers(from, to, attached);
        return attached.stream().map(Attached::referrer).toList();
    }

    private void copyReferrers(ImageRef from, ImageRef to, List<Attached> copied) {
        Digest digest = from.requireDigest("image");
        if (from.sameRegistry(to) && from.repository().equals(to.repository())) {
            return;
        }
        copyReferrersOf(from.repository(), to.withTag(null).withDigest(null), digest, 1, new HashSet<>(), copied);
        if (!copied.isEmpty()) {
            progress.report("Copied " + copied.size() + " attached artifact(s) (attestations, SBOMs) to " + to.name());
        }
    }

    private void copyReferrersOf(
            String fromRepository, ImageRef to, Digest subject, int depth, Set<Digest> seen, List<Attached> copied) {
        if (depth > MAX_DEPTH) {
            return;
        }
        Referrers sourceReferrers = new Referrers(source);
        Referrers targetReferrers = new Referrers(target);
        Set<Digest> present = new HashSet<>();
        targetReferrers.list(to.repository(), subject).referrers().forEach(d -> present.add(d.digest()));
        for (Descriptor referrer : sourceReferrers.list(fromRepository, subject).referrers()) {
            if (!seen.add(referrer.digest())) {
                continue;
            }
            if (!present.contains(referrer.digest())) {
                ImageRef pinned = new ImageRef(source.registry(), fromRepository, null, referrer.digest());
                new ImageCopier(source, target, Progress.NONE).copy(pinned, to, TagPolicy.IMMUTABLE);
                Manifest manifest = target.getManifest(to.repository(), referrer.digest().toString());
                copied.add(new Attached(referrer, targetReferrers.attach(to.repository(), manifest).mechanism()));
                progress.report("  " + referrer.digest().shortHex() + ": " + describe(referrer));
            }
            copyReferrersOf(fromRepository, to, referrer.digest(), depth + 1, seen, copied);
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
