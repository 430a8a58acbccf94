package io.jenkins.plugins.immutabledeployment.testing;

import io.jenkins.plugins.immutabledeployment.attestation.AttestationVerifier;
import io.jenkins.plugins.immutabledeployment.attestation.CheckedAttestation;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryConnection;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import java.util.List;

/** What is attached to an image in the test registry, read back with the engine's verifier. */
public final class Attestations {

    private Attestations() {}

    /**
     * The attestations of {@code predicateType} attached to {@code image} ({@code host/repo@sha256:…}), checked
     * against {@code publicKeyPem} (or {@code null}: then none counts as verified).
     */
    public static List<CheckedAttestation> of(String image, String predicateType, String publicKeyPem) {
        ImageRef ref = ImageRef.parse(image, "image");
        RegistryClient client = new RegistryClient(ref.registry(), RegistryConnection.defaults().withPlainHttp(true));
        return new AttestationVerifier(client)
                .check(ref, publicKeyPem == null ? null : VerificationKey.fromPem(publicKeyPem))
                .ofType(predicateType);
    }
}
