package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Progress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a tag, last, onto a manifest already stored by digest, and proves the result by reading it back.
 *
 * <ul>
 *   <li>{@link #claim}: before anything is written, reads what the tag points at; with
 *       {@link TagPolicy#IMMUTABLE} a tag on another digest is a {@link TagConflictException}.
 *   <li>{@link #write}: checks the tag again, writes it, then reads it back (fetched and hashed, never a header).
 *       When the registry stored other bytes than those sent (a body changed on the way), the tag is written
 *       again; if that does not mend it, the tag is removed (when this operation created it) or restored (when it
 *       pointed elsewhere before), and the error says which. When the read-back finds a third digest, another
 *       writer moved the tag after this one: a {@link TagConflictException} naming the digest that won.
 * </ul>
 *
 * <p>The distribution API has no compare-and-set: between the last check and the write another writer can still
 * slip in, and two writers that each read back their own write before the other's arrives both succeed; the later
 * one holds the tag. The read-back narrows that window to the time between one writer's {@code PUT} and its
 * {@code GET}.
 */
public final class TagWriter {

    /** Writes of one tag before giving up on a registry that keeps storing other bytes than those sent. */
    static final int WRITES = 3;

    /**
     * A tag this operation means to write, as checked before anything was written.
     *
     * @param previous what the tag pointed at then (for restoring it), if anything
     * @param digestExisted whether the manifest was in the repository already (then it is never deleted to undo)
     */
    public record Claim(String repository, String tag, Digest digest, TagPolicy policy, Optional<Manifest> previous,
            boolean digestExisted) {

        String name(String registry) {
            return registry + "/" + repository + ":" + tag;
        }

        Optional<Digest> previousDigest() {
            return previous.map(Manifest::digest);
        }
    }

    private final RegistryClient client;
    private final Progress progress;

    public TagWriter(RegistryClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /**
     * Reads only: what {@code tag} points at, and at the same time whether the digest is in the repository already;
     * refuses a tag on another digest unless the policy allows moving it.
     */
    public Claim claim(String repository, String tag, Digest digest, TagPolicy policy) {
        AtomicReference<Optional<Manifest>> tagged = new AtomicReference<>();
        AtomicBoolean digestFound = new AtomicBoolean();
        ParallelTasks.<Runnable>forEach(List.of(
                () -> tagged.set(client.findManifest(repository, tag)),
                () -> digestFound.set(client.resolve(repository, digest.toString()).isPresent())), 2, Runnable::run);
        Optional<Manifest> previous = tagged.get();
        if (policy == TagPolicy.IMMUTABLE && previous.isPresent() && !previous.get().digest().equals(digest)) {
            throw new TagConflictException(client.registry() + "/" + repository + ":" + tag, previous.get().digest(),
                    digest);
        }
        boolean existed = previous.map(m -> m.digest().equals(digest)).orElse(false) || digestFound.get();
        return new Claim(repository, tag, digest, policy, previous, existed);
    }

    /** Writes the claimed tag onto {@code manifest} (stored by digest already) and proves it; see the class comment. */
    public void write(Claim claim, Manifest manifest) {
        String name = claim.name(client.registry());
        Digest digest = manifest.digest();
        Optional<Digest> now = client.resolveVerified(claim.repository(), claim.tag());
        if (claim.policy() == TagPolicy.IMMUTABLE && now.isPresent() && !now.get().equals(digest)) {
            throw TagConflictException.movedMeanwhile(name, now.get(), digest);
        }
        if (now.isPresent() && now.get().equals(digest)) {
            return;
        }
        Digest written = null;
        try {
            for (int write = 1; write <= WRITES; write++) {
                Digest stored = client.putManifestUnchecked(claim.repository(), claim.tag(), manifest);
                written = written == null || !stored.equals(digest) ? stored : written;
                Optional<Digest> readBack;
                try {
                    readBack = client.resolveVerified(claim.repository(), claim.tag());
                } catch (IntegrityException | RegistryException unreadable) {
                    if (!stored.equals(digest)) {
                        throw unreadable;
                    }
                    // The registry confirmed it stored these bytes under the tag; only the extra check failed.
                    progress.report("  " + name + " could not be read back (" + unreadable.getMessage()
                            + "); the registry confirmed it stores " + digest);
                    return;
                }
                if (readBack.isPresent() && readBack.get().equals(digest)) {
                    if (!written.equals(digest)) {
                        progress.report("  " + name + " written again: it points at " + digest);
                        deleteStray(claim, written);
                    }
                    return;
                }
                if (readBack.isPresent() && !readBack.get().equals(stored)) {
                    throw TagConflictException.lostRace(name, readBack.get(), digest);
                }
                written = readBack.orElse(stored);
                progress.report("  the registry stored " + written + " for " + name + ", not the " + digest
                        + " sent (changed on the way)" + (write < WRITES ? ": writing it again" : ""));
            }
            throw new IntegrityException("tag " + name + ": the registry kept storing other bytes than the manifest "
                    + digest + " sent (last " + written + ")");
        } catch (TagConflictException notOurs) {
            throw notOurs;
        } catch (RuntimeException failure) {
            if (written == null) {
                throw failure;
            }
            String undone = undo(claim, written, digest);
            if (failure instanceof IntegrityException) {
                throw new IntegrityException(failure.getMessage() + "; " + undone);
            }
            throw new RegistryException("tag " + name + " could not be verified after it was written: "
                    + failure.getMessage() + "; " + undone, failure);
        }
    }

    /** Puts the tag back as it was before this operation; says what was done, for the error. */
    private String undo(Claim claim, Digest written, Digest digest) {
        String name = claim.name(client.registry());
        try {
            if (claim.previous().isPresent()) {
                Manifest previous = claim.previous().get();
                client.putManifest(claim.repository(), claim.tag(), previous);
                deleteStray(claim, written);
                return "the tag was restored to " + previous.digest() + ", where it pointed before";
            }
            // Without tag deletion in the distribution API, a tag goes with its manifest: deleted by digest, but
            // only a manifest this operation created (a stray write, or the digest when it was not there before).
            boolean removed = !written.equals(digest) && client.deleteManifest(claim.repository(), written);
            if (!removed && !claim.digestExisted()) {
                removed = client.deleteManifest(claim.repository(), digest);
            }
            if (removed || client.resolveVerified(claim.repository(), claim.tag()).isEmpty()) {
                return "the tag, which this operation created, was removed";
            }
            return name + " may point at " + digest + ", which was complete before this operation; check it";
        } catch (RuntimeException e) {
            return "undoing it failed too (" + e.getMessage() + "): " + name + " may point at " + written
                    + "; delete or correct it";
        }
    }

    /** Deletes the manifest a corrupted write created, once no tag of this operation points at it. */
    private void deleteStray(Claim claim, Digest stray) {
        if (stray.equals(claim.digest()) || claim.previousDigest().filter(stray::equals).isPresent()) {
            return;
        }
        try {
            client.deleteManifest(claim.repository(), stray);
        } catch (RuntimeException e) {
            // An untagged stray manifest is harmless; the registry's garbage collection removes it.
        }
    }
}
