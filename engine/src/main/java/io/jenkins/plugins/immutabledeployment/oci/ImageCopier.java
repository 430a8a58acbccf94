package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Copies an image by digest, byte for byte, so the digest is the same in the target. Within one registry every
 * blob is mounted from the source repository (no blob bytes move); between registries blobs the target lacks are
 * streamed through, a few at once, never held in memory. Index children are copied before the index; every
 * manifest is stored by digest (proven by the registry's answer, else read back); what the caller attaches to the digest comes next, and the tag
 * ({@link TagWriter}) last, so a failed copy leaves the tag as it was.
 */
public final class ImageCopier {

    private final RegistryClient source;
    private final RegistryClient target;
    private final Progress progress;

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
     * Like {@link #copy(ImageRef, ImageRef, TagPolicy)}, running {@code beforeTag} with the copy pinned by digest
     * once it is complete in the target and before the tag is written (attestations and records go there).
     */
    public CopyResult copy(ImageRef from, ImageRef to, TagPolicy policy, Consumer<ImageRef> beforeTag) {
        Digest digest = from.requireDigest("image");
        if (to.digest() != null) {
            throw new InvalidInputException("to", "\"" + to
                    + "\" has a digest, but a copy keeps the source's digest", "REPO[:TAG]");
        }
        requireClientOf(source, from);
        requireClientOf(target, to);
        TagWriter tags = new TagWriter(target, progress);
        Optional<TagWriter.Claim> claim = Optional.ofNullable(to.tag())
                .map(tag -> tags.claim(to.repository(), tag, digest, policy));
        long requestsBefore = requests();
        long uploadedBefore = target.stats().bytesUploaded();
        Run run = new Run(from, to);
        Manifest root = source.getManifest(from.repository(), digest.toString());
        progress.report("Copying " + from.name() + "@" + digest + " to " + to
                + (run.sameRegistry ? " (same registry: mounting blobs)" : ""));
        try {
            run.copyChildren(root);
            target.storeManifest(to.repository(), root);
        } catch (IntegrityException e) {
            throw new IntegrityException("the target digest does not equal the source digest: " + e.getMessage()
                    + "; no tag was written");
        }
        run.size.addAndGet(root.size());
        try {
            beforeTag.accept(to.withTag(null).withDigest(digest));
        } catch (IntegrityException e) {
            // e.g. the target serves other bytes for the digest than the registry confirmed it stored
            throw new IntegrityException(e.getMessage() + "; no tag was written");
        }
        claim.ifPresent(c -> tags.write(c, root));
        progress.report("Copied " + to.name() + "@" + digest + (to.tag() != null ? " as " + to.tag() : ""));
        return new CopyResult(to.name() + "@" + digest, digest, to.name(), to.tag(), root.mediaType(),
                from.name() + "@" + digest, run.size.get(), run.mounted.get(), run.copied.get(), run.present.get(),
                target.stats().bytesUploaded() - uploadedBefore, requests() - requestsBefore);
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
        final ImageRef from;
        final ImageRef to;
        final boolean sameRegistry;
        final Set<Digest> done = ConcurrentHashMap.newKeySet();
        final AtomicInteger mounted = new AtomicInteger();
        final AtomicInteger copied = new AtomicInteger();
        final AtomicInteger present = new AtomicInteger();
        final AtomicLong size = new AtomicLong();

        Run(ImageRef from, ImageRef to) {
            this.from = from;
            this.to = to;
            this.sameRegistry = from.sameRegistry(to);
        }

        /** Copies what the manifest refers to: child manifests (with their content) or blobs. */
        void copyChildren(Manifest manifest) {
            if (manifest.isIndex()) {
                for (Descriptor child : manifest.manifests()) {
                    Manifest childManifest = source.getManifest(from.repository(), child.digest().toString());
                    copyChildren(childManifest);
                    target.storeManifest(to.repository(), childManifest);
                    size.addAndGet(childManifest.size());
                }
                return;
            }
            List<Descriptor> blobs = new ArrayList<>();
            for (Descriptor blob : manifest.blobs()) {
                if (done.add(blob.digest())) {
                    blobs.add(blob);
                    size.addAndGet(blob.size());
                }
            }
            ParallelTasks.forEach(blobs, ImagePusher.PARALLEL_BLOBS, this::copyBlob);
        }

        private void copyBlob(Descriptor blob) {
            if (sameRegistry && from.repository().equals(to.repository())) {
                present.incrementAndGet();
                return;
            }
            if (sameRegistry && target.mountBlob(to.repository(), blob.digest(), from.repository())) {
                mounted.incrementAndGet();
                progress.report("  " + blob.digest().shortHex() + ": mounted from " + from.repository());
                return;
            }
            if (!sameRegistry && target.blobExists(to.repository(), blob.digest())) {
                present.incrementAndGet();
                progress.report("  " + blob.digest().shortHex() + ": already present");
                return;
            }
            target.uploadBlob(to.repository(), new RemoteBlob(from.repository(), blob), progress);
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
