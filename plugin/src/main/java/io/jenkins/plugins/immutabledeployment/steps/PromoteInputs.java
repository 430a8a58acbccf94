package io.jenkins.plugins.immutabledeployment.steps;

import io.jenkins.plugins.immutabledeployment.model.PromotionRequest;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code promote} step's values as plain serializable data, kept by its execution across restarts (a Step is
 * not serializable). The engine's {@link PromotionRequest} checks them; credentials stay ids until used.
 */
final class PromoteInputs implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String image;
    private final String to;
    private final String tag;
    private final boolean resolve;
    private final String stage;
    private final boolean requireProvenance;
    private final String publicKey;
    private final String requirePromotedTo;
    private final String submitters;
    private final String approvalMessage;
    private final String approvalTimeout;
    private final boolean approval;
    final String credentialsId;
    final String targetCredentialsId;

    PromoteInputs(PromoteStep step) {
        this.image = step.getImage();
        this.to = step.getTo();
        this.tag = step.getTag();
        this.resolve = step.isResolve();
        this.stage = step.getStage();
        this.requireProvenance = step.isRequireProvenance();
        this.publicKey = step.getPublicKey();
        this.requirePromotedTo = step.getRequirePromotedTo();
        ApprovalSpec spec = step.getApproval();
        this.approval = spec != null;
        this.submitters = spec == null ? null : spec.getSubmitters();
        this.approvalMessage = spec == null ? null : spec.getMessage();
        this.approvalTimeout = spec == null ? null : spec.getTimeout();
        this.credentialsId = step.getCredentialsId();
        this.targetCredentialsId = step.getTargetCredentialsId();
    }

    /** Checked by the engine; bad values are refused naming the parameter. */
    PromotionRequest request() {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("image", image);
        parameters.put("to", to);
        parameters.put("tag", tag);
        parameters.put("resolve", resolve);
        parameters.put("stage", stage);
        parameters.put("requireProvenance", requireProvenance);
        parameters.put("publicKey", publicKey);
        parameters.put("requirePromotedTo", requirePromotedTo);
        if (approval) {
            Map<String, Object> spec = new HashMap<>();
            spec.put("submitters", submitters);
            spec.put("message", approvalMessage);
            spec.put("timeout", approvalTimeout);
            parameters.put("approval", spec);
        }
        return PromotionRequest.parse(parameters);
    }

    /** The login for the target registry: its own credential, else the source's (as the help says). */
    String targetCredentialsIdOrSource() {
        return targetCredentialsId != null ? targetCredentialsId : credentialsId;
    }
}
