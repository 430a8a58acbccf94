package io.jenkins.plugins.immutabledeployment.kube;

import java.util.List;

/**
 * A finished rollback.
 *
 * @param image         the image the stable Deployment runs now
 * @param replacedImage the image it ran before (as written in the pod spec; may be a tag)
 * @param knownGood     whether the ledger knew the image as a release that ran as stable
 * @param pods          the stable pods whose image ID was checked against the digest
 * @param recorded      the ledger entry written
 */
public record RollbackResult(PinnedImage image, String replacedImage, boolean knownGood, List<String> pods, Release recorded) {

    public RollbackResult {
        pods = List.copyOf(pods);
    }
}
