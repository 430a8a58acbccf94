package io.jenkins.plugins.immutabledeployment.model;

import java.time.Instant;

/**
 * A rollback of a Deployment to a known-good digest, done by this build.
 *
 * @param deployment the Kubernetes Deployment
 * @param namespace its namespace
 * @param cluster the cluster name as configured, or {@code null} for the default
 * @param fromDigest the digest it ran before, or {@code null} if unknown
 * @param toDigest the digest it runs now
 * @param by who or what asked for it (a user, or a build URL)
 * @param at when it completed
 * @param reason why, as given, or {@code null}
 */
public record RollbackView(
        String deployment,
        String namespace,
        String cluster,
        String fromDigest,
        String toDigest,
        String by,
        Instant at,
        String reason) {

    public RollbackView {
        ModelChecks.required(deployment, "rollbacks.deployment");
        ModelChecks.required(namespace, "rollbacks.namespace");
        fromDigest = ModelChecks.digest(fromDigest, "rollbacks.fromDigest");
        toDigest = ModelChecks.digest(ModelChecks.required(toDigest, "rollbacks.toDigest"), "rollbacks.toDigest");
    }
}
