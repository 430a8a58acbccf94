package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes an {@link ImageArchive}: blobs first (those the registry has are skipped, a few uploaded at once), then
 * child manifests, then the root manifest under its tag. With {@link TagPolicy#IMMUTABLE} a tag that points at a
 * different digest is refused before anything is written.
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
        target.requireNoDigest("image");
        if (!target.registry().equalsIgnoreCase(client.registry())) {
            throw new IllegalArgumentException("client of " + client.registry() + " cannot push to " + target);
        }
        String repository = target.repository();
        Manifest root = archive.root();
        Digest digest = root.digest();
        if (target.tag() != null && policy == TagPolicy.IMMUTABLE) {
            Optional<Digest> existing = client.resolve(repository, target.tag());
            if (existing.isPresent() && !existing.get().equals(digest)) {
                throw new TagConflictException(target.toString(), existing.get(), digest);
            }
        }
        List<BlobSource> blobs = new ArrayList<>(archive.blobs());
        progress.report("Pushing " + target + " (" + digest + "): " + blobs.size() + " blobs, "
                + Sizes.human(archive.size()));
        long uploadedBefore = client.stats().bytesUploaded();
        AtomicInteger uploaded = new AtomicInteger();
        AtomicInteger present = new AtomicInteger();
        ParallelTasks.forEach(blobs, PARALLEL_BLOBS, blob -> {
            if (client.blobExists(repository, blob.digest())) {
                present.incrementAndGet();
                progress.report("  " + blob.digest().shortHex() + ": already present");
                return;
            }
            client.uploadBlob(repository, blob, progress);
            uploaded.incrementAndGet();
            progress.report("  " + blob.digest().shortHex() + ": uploaded " + Sizes.human(blob.size()));
        });
        for (Manifest manifest : archive.manifests()) {
            if (manifest != root) {
                client.putManifest(repository, manifest.digest().toString(), manifest);
            }
        }
        client.putManifest(repository, target.tag() != null ? target.tag() : digest.toString(), root);
        progress.report("Pushed " + target.name() + "@" + digest + (target.tag() != null ? " as " + target.tag() : ""));
        return new PushResult(target.name() + "@" + digest, digest, target.name(), target.tag(), root.mediaType(),
                archive.size(), uploaded.get(), present.get(), client.stats().bytesUploaded() - uploadedBefore);
    }
}
