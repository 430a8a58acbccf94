package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.DeploymentException;
import java.util.List;

/** A builder command exited with a failure status; its own output (in the build log) says why. */
public final class BuildFailedException extends DeploymentException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public BuildFailedException(List<String> argv, int status) {
        super(summary(argv) + " exited with status " + status + "; its output above says why");
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The program and its sub-commands, e.g. {@code buildah bud}: enough to say which command failed, no values. */
    private static String summary(List<String> argv) {
        List<String> words = argv.stream().takeWhile(part -> part.matches("[a-z]+")).limit(3).toList();
        return words.isEmpty() ? "the builder" : String.join(" ", words);
    }
}
