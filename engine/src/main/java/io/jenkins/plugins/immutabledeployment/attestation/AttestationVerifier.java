package io.jenkins.plugins.immutabledeployment.attestation;

import io.jenkins.plugins.immutabledeployment.oci.Descriptor;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.IntegrityException;
import io.jenkins.plugins.immutabledeployment.oci.InvalidManifestException;
import io.jenkins.plugins.immutabledeployment.oci.Manifest;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryException;
import io.jenkins.plugins.immutabledeployment.provenance.AttestationVerification;
import io.jenkins.plugins.immutabledeployment.provenance.Attestations;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import io.jenkins.plugins.immutabledeployment.provenance.MalformedAttestationException;
import io.jenkins.plugins.immutabledeployment.provenance.VerificationKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds what is attached to an image digest and checks each attestation: fetched by digest (tampered bytes are
 * caught), read as a DSSE envelope of an in-toto statement, its signature verified with the given public key and
 * its subject compared with the image digest. An attestation that cannot be read is reported as such, never
 * skipped and never verified; a registry that fails is an error.
 */
public final class AttestationVerifier {

    /** The largest envelope read; provenance is a few kilobytes. */
    public static final int ENVELOPE_MAX_BYTES = 8 << 20;

    private final RegistryClient client;
    private final Referrers referrers;

    /** @param client a client of the image's registry */
    public AttestationVerifier(RegistryClient client) {
        this.client = client;
        this.referrers = new Referrers(client);
    }

    /**
     * @param image pinned by digest
     * @param key the trusted public key, or {@code null}: signatures are then reported, not verified
     */
    public ImageAttestations check(ImageRef image, VerificationKey key) {
        Digest digest = image.requireDigest("image");
        Referrers.Listing listing = referrers.list(image.repository(), digest);
        List<CheckedAttestation> attestations = new ArrayList<>();
        List<Descriptor> sboms = new ArrayList<>();
        List<Descriptor> others = new ArrayList<>();
        for (Descriptor referrer : listing.referrers()) {
            if (ArtifactTypes.DSSE_ENVELOPE.equals(referrer.artifactType())) {
                attestations.add(check(image.repository(), digest, referrer, key));
            } else if (ArtifactTypes.isSbom(referrer.artifactType())) {
                sboms.add(referrer);
            } else {
                others.add(referrer);
            }
        }
        return new ImageAttestations(image.name(), digest, attestations, sboms, others, listing.mechanism());
    }

    /** The {@code verify} report of an image. */
    public VerifyReport report(ImageRef image, VerificationKey key) {
        return VerifyReport.of(check(image, key), key);
    }

    private CheckedAttestation check(String repository, Digest image, Descriptor referrer, VerificationKey key) {
        try {
            Manifest manifest = client.getManifest(repository, referrer.digest().toString());
            Descriptor layer = manifest.layers().stream()
                    .filter(l -> ArtifactTypes.DSSE_ENVELOPE.equals(l.mediaType()))
                    .findFirst()
                    .orElseThrow(() -> new MalformedAttestationException(
                            "the artifact has no " + ArtifactTypes.DSSE_ENVELOPE + " layer"));
            Envelope envelope = Envelope.parse(client.getBlob(repository, layer.digest(), ENVELOPE_MAX_BYTES));
            AttestationVerification verification = Attestations.verify(envelope, key, image);
            return new CheckedAttestation(referrer, verification.statement().predicateType(),
                    verification.statement(), verification.result(), verification.subjectMatches(), null);
        } catch (IntegrityException | MalformedAttestationException | InvalidManifestException e) {
            return CheckedAttestation.unreadable(referrer, e.getMessage());
        } catch (RegistryException e) {
            if (e.status() == 404 || e.status() == 200) { // missing, or larger than any attestation
                return CheckedAttestation.unreadable(referrer, e.getMessage());
            }
            throw e;
        }
    }
}
