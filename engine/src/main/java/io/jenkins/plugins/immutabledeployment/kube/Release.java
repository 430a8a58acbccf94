package io.jenkins.plugins.immutabledeployment.kube;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a Deployment's release ledger.
 *
 * @param image      the digest-pinned image
 * @param deployedBy who or what deployed it: a build URL, or {@code cli:USER@HOST}
 * @param time       when the outcome was reached
 * @param outcome    how it ended
 * @param note       a short human explanation (an abort reason, what a rollback replaced), or null
 * @param takenOverBy for a rollout abandoned by its holder (its process went away) and taken over by another once
 *                    its lock expired: the holder that took it over, at {@code time}; else null
 */
@JsonPropertyOrder({"digest", "image", "deployedBy", "time", "outcome", "note", "takenOverBy"})
public record Release(PinnedImage image, String deployedBy, Instant time, ReleaseOutcome outcome, String note, String takenOverBy) {

    public Release {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(deployedBy, "deployedBy");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** A release that was not taken over. */
    public Release(PinnedImage image, String deployedBy, Instant time, ReleaseOutcome outcome, String note) {
        this(image, deployedBy, time, outcome, note, null);
    }

    /** The image's digest, also written to the ledger on its own so people reading the ConfigMap see it first. */
    @JsonProperty(value = "digest", access = JsonProperty.Access.READ_ONLY)
    public String digest() {
        return image.digest().toString();
    }
}
