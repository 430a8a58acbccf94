package io.jenkins.plugins.immutabledeployment.attestation;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a registry keeps track of the artifacts that refer to a manifest. */
public enum ReferrerMechanism {
    /** The registry indexes manifests with a {@code subject} itself (OCI 1.1 referrers API). */
    REFERRERS_API("referrers-api"),
    /** The client maintains an index tagged {@code sha256-<hex>} (the referrers tag schema). */
    TAG_SCHEMA("tag-schema");

    private final String text;

    ReferrerMechanism(String text) {
        this.text = text;
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }
}
