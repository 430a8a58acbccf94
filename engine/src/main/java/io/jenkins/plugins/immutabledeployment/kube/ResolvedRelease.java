package io.jenkins.plugins.immutabledeployment.kube;

import java.util.Objects;
import java.util.Optional;

/**
 * What a rollback target resolved to.
 *
 * @param image       the image to put on the stable Deployment
 * @param ledgerEntry the newest ledger entry in which this digest ran as stable (promoted or rolled back to), or
 *                    null when the ledger does not know it as a good release (an explicit image from elsewhere, or
 *                    one whose rollouts were all aborted or failed): the caller should say so
 */
public record ResolvedRelease(PinnedImage image, Release ledgerEntry) {

    public ResolvedRelease {
        Objects.requireNonNull(image, "image");
    }

    public boolean knownGood() {
        return ledgerEntry != null;
    }

    public Optional<Release> entry() {
        return Optional.ofNullable(ledgerEntry);
    }
}
