package io.jenkins.plugins.immutabledeployment.kube;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How a release ended, as the ledger records it. */
public enum ReleaseOutcome {
    /** A rollout reached 100% and the stable Deployment runs the digest. */
    PROMOTED("promoted"),
    /** A rollout was stopped (failed health or analysis, or a person aborted it); stable kept its image. */
    ABORTED("aborted"),
    /** An operation failed part-way, e.g. the stable Deployment never became available on the new digest. */
    FAILED("failed"),
    /** A rollback put the stable Deployment back on this digest. */
    ROLLED_BACK("rolled-back");

    private final String json;

    ReleaseOutcome(String json) {
        this.json = json;
    }

    /** Whether the digest ran as the stable Deployment's image afterwards. */
    public boolean wentLive() {
        return this == PROMOTED || this == ROLLED_BACK;
    }

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static ReleaseOutcome fromJson(String value) {
        return Arrays.stream(values()).filter(o -> o.json.equals(value)).findFirst()
                .orElseThrow(() -> new InvalidInputException("outcome", "\"" + value + "\" is not an outcome",
                        Arrays.stream(values()).map(ReleaseOutcome::json).collect(Collectors.joining(", "))));
    }
}
