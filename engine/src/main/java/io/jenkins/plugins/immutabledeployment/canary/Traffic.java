package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.kube.Names;
import java.util.Objects;

/**
 * How a rollout moves traffic: {@code replicas} (the default: a canary Deployment beside stable behind the same
 * Service, weight by replica ratio) or {@code gateway} (Gateway API HTTPRoute backend weights between a stable and
 * a canary Service, names given by the user).
 */
public record Traffic(Kind kind, String httpRoute, String stableService, String canaryService) {

    public static final String ACCEPTED_FORM = "replicas, or gateway with httpRoute, stableService and canaryService";

    public enum Kind { REPLICAS, GATEWAY }

    public Traffic {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.GATEWAY) {
            require("httpRoute", httpRoute);
            require("stableService", stableService);
            require("canaryService", canaryService);
            Names.requireObjectName("httpRoute", httpRoute);
            Names.requireLabel("stableService", stableService);
            Names.requireLabel("canaryService", canaryService);
        }
    }

    public static Traffic replicas() {
        return new Traffic(Kind.REPLICAS, null, null, null);
    }

    public static Traffic gateway(String httpRoute, String stableService, String canaryService) {
        return new Traffic(Kind.GATEWAY, httpRoute, stableService, canaryService);
    }

    /** For people: {@code replica ratio} or {@code Gateway API HTTPRoute R (stable Service S, canary Service C)}. */
    public String describe() {
        return kind == Kind.GATEWAY
                ? "Gateway API HTTPRoute " + httpRoute + " (stable Service " + stableService + ", canary Service " + canaryService + ")"
                : "replica ratio";
    }

    /** Parses {@code replicas} or {@code gateway} (with the three names for the latter). */
    public static Traffic parse(String kind, String httpRoute, String stableService, String canaryService) {
        if (kind == null || kind.isBlank() || kind.equals("replicas")) {
            return replicas();
        }
        if (kind.equals("gateway")) {
            return gateway(httpRoute, stableService, canaryService);
        }
        throw new InvalidInputException("traffic", "\"" + kind + "\" is not a traffic kind", ACCEPTED_FORM);
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required with gateway traffic", ACCEPTED_FORM);
        }
    }
}
