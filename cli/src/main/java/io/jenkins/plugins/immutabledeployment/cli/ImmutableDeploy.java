package io.jenkins.plugins.immutabledeployment.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code immutable-deploy} command: the engine's operations outside Jenkins. */
@Command(
        name = "immutable-deploy",
        mixinStandardHelpOptions = true,
        versionProvider = ImmutableDeploy.Version.class,
        description = "Sealed, digest-pinned container releases: push, promote, roll out, roll back.",
        subcommands = {})
public final class ImmutableDeploy {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new ImmutableDeploy()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ImmutableDeploy.class.getPackage().getImplementationVersion();
            return new String[] {"immutable-deploy " + (v == null ? "dev" : v)};
        }
    }
}
