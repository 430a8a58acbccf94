package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the image's provenance attestation says, and how far it can be trusted.
 *
 * @param signed whether the attestation carries a signature at all
 * @param verified whether that signature was checked against a trusted public key and matched; never true
 *     without {@code signed}
 * @param keyId the id of the signing key, or {@code null}
 * @param builder the SLSA builder id (the Jenkins URL and job)
 * @param buildUrl the build that produced the image
 * @param sources the source revisions (SCM commits) resolved by the build
 * @param startedOn when the build started, or {@code null}
 * @param finishedOn when the build finished, or {@code null}
 * @param attestationDigest the digest of the attestation in the registry, or {@code null}
 */
public record ProvenanceView(
        boolean signed,
        boolean verified,
        String keyId,
        String builder,
        String buildUrl,
        List<SourceView> sources,
        Instant startedOn,
        Instant finishedOn,
        String attestationDigest) {

    public ProvenanceView {
        if (verified && !signed) {
            throw new InvalidInputException(
                    "provenance.verified", "is true for an unsigned attestation", "verified only when signed");
        }
        sources = ModelChecks.list(sources);
        attestationDigest = ModelChecks.digest(attestationDigest, "provenance.attestationDigest");
    }

    /** This provenance, its signature verified against a trusted public key. */
    public ProvenanceView asVerified() {
        return new ProvenanceView(signed, true, keyId, builder, buildUrl, sources, startedOn, finishedOn, attestationDigest);
    }

    /** A builder ({@code builder()} would clash with the SLSA {@code builder} component). */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Starts unsigned; {@link #signedBy} and {@link #verified()} raise the claim step by step. */
    public static final class Builder {
        private boolean signed;
        private boolean verified;
        private String keyId;
        private String builder;
        private String buildUrl;
        private final List<SourceView> sources = new ArrayList<>();
        private Instant startedOn;
        private Instant finishedOn;
        private String attestationDigest;

        private Builder() {}

        /** The attestation is signed with the key {@code keyId} (may be {@code null} when the key has no id). */
        public Builder signedBy(String keyId) {
            this.signed = true;
            this.keyId = keyId;
            return this;
        }

        /** The signature was verified against a trusted public key. */
        public Builder verified() {
            this.verified = true;
            return this;
        }

        public Builder builderId(String builderId) {
            this.builder = builderId;
            return this;
        }

        public Builder buildUrl(String buildUrl) {
            this.buildUrl = buildUrl;
            return this;
        }

        public Builder source(String repository, String commit, String url) {
            sources.add(new SourceView(repository, commit, url));
            return this;
        }

        public Builder ran(Instant startedOn, Instant finishedOn) {
            this.startedOn = startedOn;
            this.finishedOn = finishedOn;
            return this;
        }

        public Builder attestationDigest(String digest) {
            this.attestationDigest = digest;
            return this;
        }

        public ProvenanceView build() {
            return new ProvenanceView(
                    signed, verified, keyId, builder, buildUrl, sources, startedOn, finishedOn, attestationDigest);
        }
    }
}
