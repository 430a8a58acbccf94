package io.jenkins.plugins.immutabledeployment.model;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/** A decision (approve, reject, time out) arrived for a promotion that no longer waits for one. */
public final class NotAwaitingApprovalException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    public NotAwaitingApprovalException(String promotionId, PromotionState state) {
        super(promotionId + " is not awaiting approval; it is " + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    }
}
