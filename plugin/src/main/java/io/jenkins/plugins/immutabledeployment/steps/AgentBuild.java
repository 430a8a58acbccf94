package io.jenkins.plugins.immutabledeployment.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.TaskListener;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.build.BuildCommands;
import io.jenkins.plugins.immutabledeployment.build.BuildFailedException;
import io.jenkins.plugins.immutabledeployment.build.BuildOptions;
import io.jenkins.plugins.immutabledeployment.build.BuilderLookup;
import io.jenkins.plugins.immutabledeployment.build.ImageBuilder;
import io.jenkins.plugins.immutabledeployment.build.SecretValues;
import java.io.IOException;
import java.util.List;

/**
 * Runs the engine's builder commands on the agent through its {@link Launcher}, in the workspace, with the step's
 * environment, output to the build log. Which builder and which command lines is the engine's decision. Arguments
 * that carry a secret value of the build's environment are printed masked. Probes and clean-ups print nothing: their
 * output goes to the launcher's default discarding stream (never a null one, which a remote agent cannot copy to).
 */
final class AgentBuild {

    private final Launcher launcher;
    private final FilePath workspace;
    private final EnvVars env;
    private final TaskListener listener;
    private final SecretValues secrets;

    AgentBuild(Launcher launcher, FilePath workspace, EnvVars env, SecretValues secrets, TaskListener listener) {
        this.launcher = launcher;
        this.workspace = workspace;
        this.env = env;
        this.secrets = secrets;
        this.listener = listener;
    }

    /** The named builder if the agent has it, else the first one found (each probe runs a command on the agent). */
    ImageBuilder choose(ImageBuilder requested) throws InterruptedException {
        ImageBuilder chosen;
        try {
            chosen = BuilderLookup.choose(requested, this::available);
        } catch (InvalidInputException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            throw e;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        listener.getLogger().println("Building with " + chosen.displayName());
        return chosen;
    }

    /** Runs the build commands, then (whatever happened) the clean-up ones; the archive is at {@code options.output()}. */
    void build(ImageBuilder builder, BuildOptions options) throws IOException, InterruptedException {
        try {
            for (List<String> argv : BuildCommands.build(builder, options)) {
                int status = launcher.launch().cmds(argv).masks(secrets.masks(argv)).envs(env).pwd(workspace).stdout(listener).join();
                if (status != 0) {
                    throw new BuildFailedException(argv, status);
                }
            }
        } finally {
            for (List<String> argv : BuildCommands.cleanup(builder, options)) {
                try {
                    launcher.launch().cmds(argv).envs(env).pwd(workspace).quiet(true).join();
                } catch (IOException e) {
                    listener.getLogger().println("Could not remove the local image " + options.localImage() + ": " + e.getMessage());
                }
            }
        }
    }

    private boolean available(ImageBuilder builder) {
        if (Thread.currentThread().isInterrupted()) {
            return false;
        }
        try {
            return launcher.launch().cmds(builder.probe()).envs(env).pwd(workspace).quiet(true).join() == 0;
        } catch (IOException e) {
            return false; // not installed: the program could not be started
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
