package io.jenkins.plugins.immutabledeployment.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Plugin;
import hudson.model.Computer;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.immutabledeployment.build.BuildContext;
import io.jenkins.plugins.immutabledeployment.build.SourceRevisions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import jenkins.model.Jenkins;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMRevisionAction;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;
import jenkins.scm.api.mixin.TagSCMHead;

/**
 * What Jenkins knows about a build, as the engine's {@link BuildContext}: the Jenkins URL plus the job as builder
 * id, the build's URL and start, its parameters without the sensitive ones (passwords never reach a provenance),
 * the agent, and the source commit: the revision a multibranch project scheduled the build for
 * ({@link SCMRevisionAction}) with the checkout's repository, else the checkout's commit from the environment.
 */
final class JenkinsBuildContext {

    private JenkinsBuildContext() {}

    static BuildContext of(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener) {
        String root = Jenkins.get().getRootUrl();
        SourceRevisions sources = sources(run, env);
        if (sources.note() != null) {
            listener.getLogger().println("Provenance: " + sources.note() + ".");
        }
        Computer computer = workspace.toComputer();
        return new BuildContext(
                BuildContext.builderId(root, run.getParent().getUrl()),
                run.getParent().getFullName(),
                BuildContext.buildUrl(root, run.getUrl()),
                Instant.ofEpochMilli(run.getStartTimeInMillis()),
                parameters(run),
                computer == null ? null : computer.getName().isEmpty() ? "built-in" : computer.getName(),
                sources.commits());
    }

    /** The plugin's version, for {@code runDetails.builder.version}; {@code null} when it cannot be told. */
    static String pluginVersion() {
        Plugin plugin = Jenkins.get().getPlugin("immutable-deployment");
        return plugin == null ? null : plugin.getWrapper().getVersion();
    }

    private static SourceRevisions sources(Run<?, ?> run, EnvVars env) {
        SCMSource source = SCMSource.SourceByItem.findSource(run.getParent());
        SCMRevisionAction action = run.getAction(SCMRevisionAction.class);
        SCMRevision revision = source != null ? SCMRevisionAction.getRevision(source, run) : action == null ? null : action.getRevision();
        if (revision == null) {
            return SourceRevisions.fromEnvironment(env);
        }
        SCMHead head = revision.getHead();
        SourceRevisions.ScmHead found = head instanceof ChangeRequestSCMHead ? null
                : new SourceRevisions.ScmHead(head.getName(), head instanceof TagSCMHead);
        return SourceRevisions.fromScm(revision.toString(), found, env);
    }

    private static Map<String, String> parameters(Run<?, ?> run) {
        Map<String, String> values = new LinkedHashMap<>();
        ParametersAction action = run.getAction(ParametersAction.class);
        if (action != null) {
            for (ParameterValue parameter : action.getParameters()) {
                if (!parameter.isSensitive() && parameter.getValue() != null) {
                    values.put(parameter.getName(), String.valueOf(parameter.getValue()));
                }
            }
        }
        return values;
    }
}
