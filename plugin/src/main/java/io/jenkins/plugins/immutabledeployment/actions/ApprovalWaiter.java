package io.jenkins.plugins.immutabledeployment.actions;

/**
 * A running step that waits for a decision on one of the build's promotions. {@link DeploymentAction} records the
 * decision in the build's facts, then tells the waiter, which reads the facts and goes on.
 */
public interface ApprovalWaiter {

    /** The promotion this step waits on. */
    String getPromotionId();

    /** Called after a decision on {@link #getPromotionId()} was recorded; must not block. */
    void decisionRecorded();
}
