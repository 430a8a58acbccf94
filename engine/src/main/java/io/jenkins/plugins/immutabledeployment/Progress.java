package io.jenkins.plugins.immutabledeployment;

/**
 * Where long operations report what they are doing, for a person: the CLI prints it on stderr, the
 * plugin writes it to the build log. Never receives secrets.
 */
@FunctionalInterface
public interface Progress {

    Progress NONE = message -> {};

    void report(String message);
}
