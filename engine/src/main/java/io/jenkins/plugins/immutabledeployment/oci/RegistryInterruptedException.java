package io.jenkins.plugins.immutabledeployment.oci;

/** The thread was interrupted (a build aborted, Ctrl-C) while talking to a registry; open uploads are cancelled. */
public class RegistryInterruptedException extends RegistryException {

    private static final long serialVersionUID = 1L;

    public RegistryInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
