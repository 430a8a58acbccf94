package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import java.util.List;

/** Stable pods run something other than the pinned digest after a promotion or rollback (drift). */
public class ImageDriftException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final List<String> pods;

    public ImageDriftException(String message, List<String> pods) {
        super(message);
        this.pods = List.copyOf(pods);
    }

    /** The pods that do not run the digest. */
    public List<String> pods() {
        return pods;
    }
}
