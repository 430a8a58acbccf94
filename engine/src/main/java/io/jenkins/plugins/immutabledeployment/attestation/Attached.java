package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;

/**
 * An artifact attached to an image.
 *
 * @param referrer the descriptor of the artifact manifest, as a referrers list shows it
 * @param mechanism how the registry makes it findable from the image
 */
public record Attached(Descriptor referrer, ReferrerMechanism mechanism) {

    public Digest digest() {
        return referrer.digest();
    }
}
