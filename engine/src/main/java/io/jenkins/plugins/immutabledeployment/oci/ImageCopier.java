package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Copies an image by digest, byte for byte, so the digest is the same in the target. Within one registry every
 * blob is mounted from the source repository (no blob bytes move); between registries blobs the target lacks are
 * streamed through, a few at once, never held in memory. Index children are copied before the index; every
 * manifest is stored by digest (proven by the registry's answer, else read back); what the caller attaches to the
 * digest comes next, and the tag ({@link TagWriter}) last, so a failed copy leaves the tag as it was.
 *
 * <p>A copier remembers the blobs it has put into a target repository, so that the attachments copied with an
 * image ({@link #copyContent}) do not mount or upload a blob they share twice; use one per operation.
 */
public final class ImageCopier {

    private final RegistryClient source;
    private final RegistryClient target;
    private final Progress progress;
    /** Blobs put (or being put) into a target repository by this copier, by {@code repository@digest}. */
    private final Map<String, CompletableFuture<Void>> blobsInTarget = new ConcurrentHashMap<>();

    /**
     * @param source a client of the source image's registry
     * @param target a client of the target's registry; may be the same client
     */
    public ImageCopier(RegistryClient source, RegistryClient target, Progress progress) {
        this.source = source;
        this.target = target;
        this.progress = progress;
    }

    /**
     * @param from the source, pinned by digest (a tag-only reference is refused as bad input for {@code image})
     * @param to {@code REPO[:TAG]}; a digest is refused as bad input for {@code to}
     */
    public CopyResult copy(ImageRef from, ImageRef to, TagPolicy policy) {
        return copy(from, to, policy, pinned -> {});
    }

    /**
     * What a caller does along a copy (an image's attachments go with it this way). Each step runs at the same time
     * as the copy's own step of the same kind.
     */
    public interface Companion {

        /** Reads only, with the copy's first reads: once the input is checked, before anything is written. */
        default void read() {}

        /** Blobs only, with the image's blobs: once the tag check has passed, before the image's manifest is stored. */
        default void copyBlobs() {}

        /** Once the image is complete in the target ({@code pinned} by digest), before the tag is written. */
        default void beforeTag(ImageRef pinned) {}
    }

    /**
     * Like {@link #copy(ImageRef, ImageRef, TagPolicy)}, running {@code beforeTag} with the copy pinned by digest
     * once it is complete in the target and before the tag is written (attestations and records go there).
     */
    public CopyResult copy(ImageRef from, ImageRef to, TagPolicy policy, Consumer<ImageRef> beforeTag) {
        return copy(from, to, policy, new Companion() {
            @Override
            public void beforeTag(ImageRef pinned) {
                beforeTag.accept(pinned);
            }
        });
    }

    /** Like {@link #copy(ImageRef, ImageRef, TagPolicy)}, with a {@link Companion}'s steps along the copy's. */
    public CopyResult copy(ImageRef from, ImageRef to, TagPolicy policy, Companion companion) {
        Digest digest = from.requireDigest("image");
        if (to.digest() != null) {
            throw new InvalidInputException("to", "\"" + to
                    + "\" has a digest, but a copy keeps the source's digest", "REPO[:TAG]");
        }
        requireClientOf(source, from);
        requireClientOf(target, to);
        TagWriter tags = new TagWriter(target, progress);
        long requestsBefore = requests();
        long uploadedBefore = target.stats().bytesUploaded();
        // The reads at once: the tag's check (before anything is written; its failure comes first), the source
        // manifest, and the caller's.
        AtomicReference<TagWriter.Claim> claim = new AtomicReference<>();
        AtomicReference<Manifest> read = new AtomicReference<>();
        ParallelTasks.<Runnable>forEach(List.of(
                () -> Optional.ofNullable(to.tag()).ifPresent(tag ->
                        claim.set(tags.claim(to.repository(), tag, digest, policy))),
                () -> read.set(source.getManifest(from.repository(), digest.toString())),
                companion::read), 3, Runnable::run);
        Manifest root = read.get();
        Run run = new Run(from.repository(), to.repository(), from.sameRegistry(to));
        progress.report("Copying " + from.name() + "@" + digest + " to " + to
                + (run.sameRegistry ? " (same registry: mounting blobs)" : ""));
        try {
            ParallelTasks.<Runnable>forEach(List.of(() -> run.copyChildren(root), companion::copyBlobs), 2, Runnable::run);
            target.storeManifest(to.repository(), root);
        } catch (IntegrityException e) {
            throw new IntegrityException("the target digest does not equal the source digest: " + e.getMessage()
                    + "; no tag was written");
        }
        run.size.addAndGet(root.size());
        try {
            companion.beforeTag(to.withTag(null).withDigest(digest));
        } catch (IntegrityException e) {
            // e.g. the target serves other bytes for the digest than the registry confirmed it stored
            throw new IntegrityException(e.getMessage() + "; no tag was written");
        }
        Optional.ofNullable(claim.get()).ifPresent(c -> tags.write(c, root));
        progress.report("Copied " + to.name() + "@" + digest + (to.tag() != null ? " as " + to.tag() : ""));
        return new CopyResult(to.name() + "@" + digest, digest, to.name(), to.tag(), root.mediaType(),
                from.name() + "@" + digest, run.size.get(), run.mounted.get(), run.copied.get(), run.present.get(),
                target.stats().bytesUploaded() - uploadedBefore, requests() - requestsBefore);
    }

    /**
     * Copies what {@code manifest}, read from {@code fromRepository}, refers to into {@code toRepository}: its
     * blobs, or an index's child manifests with theirs. Not the manifest itself: the caller stores it (an attachment
     * goes under its referrers tag). Blobs this copier has put there already are not put there again.
     */
    public void copyContent(String fromRepository, Manifest manifest, String toRepository) {
        new Run(fromRepository, toRepository, source.registry().equalsIgnoreCase(target.registry()))
                .copyChildren(manifest);
    }

    private long requests() {
        return source == target ? source.stats().requests() : source.stats().requests() + target.stats().requests();
    }

    private static void requireClientOf(RegistryClient client, ImageRef image) {
        if (!client.registry().equalsIgnoreCase(image.registry())) {
            throw new IllegalArgumentException("client of " + client.registry() + " cannot reach " + image);
        }
    }

    /** The state of one copy. */
    private final class Run {
        final String fromRepository;
        final String toRepository;
        final boolean sameRegistry;
        final Set<Digest> counted = ConcurrentHashMap.newKeySet();
        final AtomicInteger mounted = new AtomicInteger();
        final AtomicInteger copied = new AtomicInteger();
        final AtomicInteger present = new AtomicInteger();
        final AtomicLong size = new AtomicLong();

        Run(String fromRepository, String toRepository, boolean sameRegistry) {
            this.fromRepository = fromRepository;
            this.toRepository = toRepository;
            this.sameRegistry = sameRegistry;
        }

        /** Copies what the manifest refers to: child manifests (with their content) or blobs. */
        void copyChildren(Manifest manifest) {
            if (manifest.isIndex()) {
                for (Descriptor child : manifest.manifests()) {
                    Manifest childManifest = source.getManifest(fromRepository, child.digest().toString());
                    copyChildren(childManifest);
                    target.storeManifest(toRepository, childManifest);
                    size.addAndGet(childManifest.size());
                }
                return;
            }
            List<Descriptor> blobs = new ArrayList<>();
            for (Descriptor blob : manifest.blobs()) {
                if (counted.add(blob.digest())) {
                    blobs.add(blob);
                    size.addAndGet(blob.size());
                }
            }
            ParallelTasks.forEach(blobs, ImagePusher.PARALLEL_BLOBS, this::copyBlobOnce);
        }

        /** Copies a blob unless this copier has put it into the target repository already (then waits for that). */
        private void copyBlobOnce(Descriptor blob) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> earlier = blobsInTarget.putIfAbsent(toRepository + "@" + blob.digest(), mine);
            if (earlier != null) {
                try {
                    earlier.join();
                } catch (CompletionException e) {
                    copyBlobOnce(blob); // the earlier attempt failed and is forgotten: this one tries itself
                    return;
                }
                present.incrementAndGet();
                return;
            }
            try {
                copyBlob(blob);
                mine.complete(null);
            } catch (RuntimeException | Error e) {
                blobsInTarget.remove(toRepository + "@" + blob.digest(), mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }

        private void copyBlob(Descriptor blob) {
            if (sameRegistry && fromRepository.equals(toRepository)) {
                present.incrementAndGet();
                return;
            }
            if (sameRegistry && target.mountBlob(toRepository, blob.digest(), fromRepository)) {
                mounted.incrementAndGet();
                progress.report("  " + blob.digest().shortHex() + ": mounted from " + fromRepository);
                return;
            }
            if (!sameRegistry && target.blobExists(toRepository, blob.digest())) {
                present.incrementAndGet();
                progress.report("  " + blob.digest().shortHex() + ": already present");
                return;
            }
            target.uploadBlob(toRepository, new RemoteBlob(fromRepository, blob), progress);
            copied.incrementAndGet();
            progress.report("  " + blob.digest().shortHex() + ": copied " + Sizes.human(blob.size()));
        }
    }

    /** A blob streamed from the source registry, verified against its digest as it flows. */
    private final class RemoteBlob implements BlobSource {
        private final String repository;
        private final Descriptor descriptor;

        RemoteBlob(String repository, Descriptor descriptor) {
            this.repository = repository;
            this.descriptor = descriptor;
        }

        @Override
        public Digest digest() {
            return descriptor.digest();
        }

        @Override
        public long size() {
            return descriptor.size();
        }

        @Override
        public InputStream open() {
            return source.openBlob(repository, descriptor.digest(), descriptor.size());
        }

        @Override
        public boolean fromNetwork() {
            return true;
        }
    }
}
