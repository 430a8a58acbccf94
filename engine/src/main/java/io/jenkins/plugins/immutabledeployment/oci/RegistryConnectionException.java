package io.jenkins.plugins.immutabledeployment.oci;

/**
 * The registry could not be talked to for a reason no retry mends ({@link ConnectionProblem}); reported at once.
 * Front ends add their own wording of the fix (the CLI names {@code --plain-http} or {@code --ca-cert}).
 */
public class RegistryConnectionException extends RegistryException {

    private static final long serialVersionUID = 1L;

    private final ConnectionProblem problem;

    public RegistryConnectionException(String message, ConnectionProblem problem, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public ConnectionProblem problem() {
        return problem;
    }
}
