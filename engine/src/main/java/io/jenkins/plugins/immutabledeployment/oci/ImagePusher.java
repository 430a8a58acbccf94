package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Pushes an {@link ImageArchive}, the tag last: blobs first (whether the registry has them is asked while the tag is
 * checked; hashed as they are read from the archive; those the registry has are skipped once the archive's bytes are
 * proven to have that digest; a few uploaded at once), then child manifests and the root manifest by digest, each
 * proven by the registry's answer ({@link RegistryClient#storeManifest}); then what the caller attaches to the digest; then the tag ({@link TagWriter}). With
 * {@link TagPolicy#IMMUTABLE} a tag that points at a different digest is refused before anything is written. A
 * failure at any point leaves the tag as it was.
 */
public final class ImagePusher {

    static final int PARALLEL_BLOBS = 3;

    private final RegistryClient client;
    private final Progress progress;

    /** @param client a client of the target image's registry */
    public ImagePusher(RegistryClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /**
     * @param target {@code REPO[:TAG]} in the client's registry; a digest is refused, since the push computes it
     */
    public PushResult push(ImageArchive archive, ImageRef target, TagPolicy policy) {
        return push(archive, target, policy, pinned -> {});
    }

    /**
     * Like {@link #push(ImageArchive, ImageRef, TagPolicy)}, running {@code beforeTag} with the image pinned by
     * digest once it is complete in the registry and before the tag is written (attestations go there).
     */
    public PushResult push(ImageArchive archive, ImageRef target, TagPolicy policy, Consumer<ImageRef> beforeTag) {
        target.requireNoDigest("image");
        if (!target.registry().equalsIgnoreCase(client.registry())) {
            throw new IllegalArgumentException("client of " + client.registry() + " cannot push to " + target);
        }
        String repository = target.repository();
        Manifest root = archive.root();
        Digest digest = root.digest();
        TagWriter tags = new TagWriter(client, progress);
        List<BlobSource> blobs = new ArrayList<>(archive.blobs());
        long uploadedBefore = client.stats().bytesUploaded();
        AtomicInteger uploaded = new AtomicInteger();
        AtomicInteger present = new AtomicInteger();
        // The blob checks only read, so they run while the tag is checked; nothing is written before the claim.
        Optional<TagWriter.Claim> claim;
        try (BlobChecks checks = new BlobChecks(client, repository, blobs, PARALLEL_BLOBS)) {
            claim = Optional.ofNullable(target.tag()).map(tag -> tags.claim(repository, tag, digest, policy));
            progress.report("Pushing " + target + " (" + digest + "): " + blobs.size() + " blobs, "
                    + Sizes.human(archive.size()));
            ParallelTasks.forEach(blobs, PARALLEL_BLOBS, blob -> {
                if (checks.exists(blob.digest())) {
                    blob.prove(); // the registry's copy is only the same if the archive's bytes really have that digest
                    present.incrementAndGet();
                    progress.report("  " + blob.digest().shortHex() + ": already present");
                    return;
                }
                client.uploadBlob(repository, blob, progress);
                uploaded.incrementAndGet();
                progress.report("  " + blob.digest().shortHex() + ": uploaded " + Sizes.human(blob.size()));
            });
        }
        for (Manifest manifest : archive.manifests()) {
            client.storeManifest(repository, manifest);
        }
        ImageRef pinned = target.withTag(null).withDigest(digest);
        beforeTag.accept(pinned);
        claim.ifPresent(c -> tags.write(c, root));
        progress.report("Pushed " + target.name() + "@" + digest + (target.tag() != null ? " as " + target.tag() : ""));
        return new PushResult(target.name() + "@" + digest, digest, target.name(), target.tag(), root.mediaType(),
                archive.size(), uploaded.get(), present.get(), client.stats().bytesUploaded() - uploadedBefore);
    }
}
