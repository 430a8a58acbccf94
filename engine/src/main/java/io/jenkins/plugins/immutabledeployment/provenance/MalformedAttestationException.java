package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.DeploymentException;

/**
 * An attestation that was read (from a registry or a file) is not what it claims to be: not a DSSE envelope,
 * a payload that is not base64, or a payload that is not an in-toto Statement v1. Attestations carry no
 * secrets, so the message may quote what was wrong.
 */
public class MalformedAttestationException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    public MalformedAttestationException(String message) {
        super(message);
    }
}
