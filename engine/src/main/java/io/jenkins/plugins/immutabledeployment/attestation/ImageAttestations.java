package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.List;

/**
 * Everything attached to one image digest in one repository.
 *
 * @param attestations DSSE attestations, each fetched and checked
 * @param sboms SBOM artifacts (not fetched)
 * @param others referrers of any other artifact type (signatures of other tools, …), not fetched
 * @param mechanism how the registry lists referrers
 */
public record ImageAttestations(
        String repository, Digest digest, List<CheckedAttestation> attestations, List<Descriptor> sboms,
        List<Descriptor> others, ReferrerMechanism mechanism) {

    public ImageAttestations {
        attestations = List.copyOf(attestations);
        sboms = List.copyOf(sboms);
        others = List.copyOf(others);
    }

    /** The readable attestations with this predicate type. */
    public List<CheckedAttestation> ofType(String predicateType) {
        return attestations.stream().filter(a -> a.readable() && a.isOfType(predicateType)).toList();
    }

    public List<CheckedAttestation> unreadable() {
        return attestations.stream().filter(a -> !a.readable()).toList();
    }
}
