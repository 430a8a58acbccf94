package io.jenkins.plugins.immutabledeployment.model;

/** Where the UI posts an action: the producer of a model document knows its endpoints. */
@FunctionalInterface
public interface ActionUrls {

    /** @param targetId the promotion id (approve, reject) or rollout id (promote, abort) acted on */
    String url(ActionKind kind, String targetId);
}
