package io.jenkins.plugins.immutabledeployment.promotion;

import io.jenkins.plugins.immutabledeployment.attestation.AttestationVerifier;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import java.util.List;

/**
 * The promotion gates ({@code requireProvenance}, {@code requirePromotedTo}, with or without a public key) checked
 * against what is attached to an image in its registry: for a promotion and for a rollout, before anything changes.
 * Reads only.
 */
public final class ImageGates {

    private ImageGates() {}

    /**
     * @param client a client of the image's registry
     * @param image pinned by digest
     * @return the gates that passed (none when {@code gates} asks for none)
     * @throws GateFailedException the first gate that does not pass
     */
    public static List<GateResult> check(RegistryClient client, ImageRef image, PromotionGates gates) {
        ImageRef pinned = image.pinned("image");
        if (!gates.any()) {
            return List.of();
        }
        return GateCheck.check(gates, new AttestationVerifier(client).check(pinned, gates.publicKey()));
    }
}
