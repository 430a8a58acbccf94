package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a rollback goes, resolved against the release ledger.
 *
 * <p>The ledger's <em>good releases</em> are its entries that ran as the stable image (outcome promoted or
 * rolled-back), one per digest (its newest entry), newest first, leaving out the digest the stable Deployment runs
 * now. {@code previous} is the first of them, {@code N} back the N-th, so {@code previous} equals {@code 1}. An
 * explicit image is taken as given, and reports whether the ledger knows it as a good release.
 */
public sealed interface RollbackTarget {

    String ACCEPTED_FORM = "previous, or a number of releases back (1 = previous, 2, …)";

    /** Resolves against {@code history} (newest first); {@code liveDigest} is what stable runs now, or null if unknown. */
    ResolvedRelease resolveIn(List<Release> history, Digest liveDigest);

    /** Parses the {@code revision} input: {@code previous} (also the default when empty) or a positive number. */
    static RollbackTarget parse(String revision) {
        if (revision == null || revision.isBlank() || revision.strip().equals("previous")) {
            return new Previous();
        }
        String text = revision.strip();
        if (!text.matches("[0-9]{1,6}")) {
            throw new InvalidInputException("revision", "\"" + revision + "\" is not a revision", ACCEPTED_FORM);
        }
        return new Back(Integer.parseInt(text));
    }

    /** An explicit digest-pinned image (the {@code image} input). */
    static RollbackTarget image(String reference) {
        return new Image(PinnedImage.parse(reference, "image"));
    }

    /** The release before the one running now. */
    record Previous() implements RollbackTarget {
        @Override
        public ResolvedRelease resolveIn(List<Release> history, Digest liveDigest) {
            return new Back(1).resolveIn(history, liveDigest);
        }

        @Override
        public String toString() {
            return "previous";
        }
    }

    /** The {@code releases}-th good release before the one running now. */
    record Back(int releases) implements RollbackTarget {
        public Back {
            if (releases < 1) {
                throw new InvalidInputException("revision", releases + " is not a positive number of releases", ACCEPTED_FORM);
            }
        }

        @Override
        public ResolvedRelease resolveIn(List<Release> history, Digest liveDigest) {
            List<Release> good = goodReleases(history, liveDigest);
            if (good.isEmpty()) {
                throw new NoSuchReleaseException("the release ledger has no earlier release to roll back to"
                        + (liveDigest == null ? "" : " than the running " + liveDigest)
                        + "; name an image explicitly");
            }
            if (releases > good.size()) {
                throw new NoSuchReleaseException("revision " + releases + ": the release ledger holds only " + good.size()
                        + " earlier release" + (good.size() == 1 ? "" : "s") + " (" + digests(good) + ")");
            }
            Release release = good.get(releases - 1);
            return new ResolvedRelease(release.image(), release);
        }

        @Override
        public String toString() {
            return Integer.toString(releases);
        }
    }

    /** An explicit image, which need not be in the ledger. */
    record Image(PinnedImage image) implements RollbackTarget {
        public Image {
            Objects.requireNonNull(image, "image");
        }

        @Override
        public ResolvedRelease resolveIn(List<Release> history, Digest liveDigest) {
            Release known = history.stream()
                    .filter(r -> r.outcome().wentLive() && r.image().digest().equals(image.digest()))
                    .findFirst().orElse(null);
            return new ResolvedRelease(image, known);
        }

        @Override
        public String toString() {
            return image.reference();
        }
    }

    private static List<Release> goodReleases(List<Release> history, Digest liveDigest) {
        Map<Digest, Release> newestPerDigest = new LinkedHashMap<>();
        for (Release release : history) {
            Digest digest = release.image().digest();
            if (release.outcome().wentLive() && !digest.equals(liveDigest)) {
                newestPerDigest.putIfAbsent(digest, release);
            }
        }
        return new ArrayList<>(newestPerDigest.values());
    }

    private static String digests(List<Release> releases) {
        return String.join(", ", releases.stream().map(r -> r.image().digest().shortHex()).toList());
    }
}
