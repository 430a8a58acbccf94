package io.jenkins.plugins.immutabledeployment.kube;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.List;

/**
 * No cluster was named and the environment has no default configuration: no kubeconfig file where
 * {@code $KUBECONFIG} (or {@code ~/.kube/config}) points, no in-cluster service account, no
 * {@code kubernetes.master}. Refused at once, before any connection is tried (a client would otherwise try
 * {@code kubernetes.default.svc} and fail half a minute later on an unresolvable name). Each front end says how to
 * name a cluster in its own words.
 */
public class NoClusterConfigurationException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    private final List<String> looked;

    NoClusterConfigurationException(List<String> looked, String acceptedForm) {
        super("kubeconfig", "no Kubernetes configuration found (looked at " + String.join(", ", looked) + ")", acceptedForm);
        this.looked = List.copyOf(looked);
    }

    /** Where the default configuration was looked for, each with what was found there. */
    public List<String> looked() {
        return looked;
    }
}
