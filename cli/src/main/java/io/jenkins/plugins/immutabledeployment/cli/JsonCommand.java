package io.jenkins.plugins.immutabledeployment.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.Progress;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of every command: it does its work, reporting progress on stderr, and prints its result as one JSON
 * object on stdout. Failures are turned into exit codes by {@link ExitCodes}.
 */
abstract class JsonCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quiet", description = "Print no progress on stderr (retries and errors are still printed).")
    boolean quiet;

    private ImmutableDeploy root;

    /** Does the work; the returned object (a record or a map) becomes the JSON on stdout. */
    protected abstract Object execute(Progress progress);

    @Override
    public final Integer call() {
        return run((ImmutableDeploy) spec.root().userObject(), ExitCodes.commandName(spec.commandLine()));
    }

    /**
     * Runs the command parsed without picocli ({@link QuickArguments}); a failure is reported as {@link ExitCodes}
     * reports those of the commands picocli runs.
     */
    final int runParsed(ImmutableDeploy root, String name) {
        try {
            return run(root, name);
        } catch (Exception e) {
            return root.output().failure(FailureWording.of(e, name));
        }
    }

    private int run(ImmutableDeploy root, String name) {
        this.root = root;
        Output output = root.output();
        output.running(name);
        PrintWriter err = output.err();
        Object result = execute(quiet ? Progress.NONE : message -> {
            err.println(message);
            err.flush();
        });
        output.result(result);
        return ExitCodes.OK;
    }

    /** The run this command belongs to: its standard input and output. */
    final ImmutableDeploy root() {
        return root;
    }

    static String toJson(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON", e);
        }
    }
}
