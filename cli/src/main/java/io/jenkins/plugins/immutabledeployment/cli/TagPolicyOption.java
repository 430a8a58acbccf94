package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import picocli.CommandLine.Option;

/** {@code --tag-policy immutable|overwrite}, for every command that writes a tag ({@code @Mixin}). */
final class TagPolicyOption {

    @Option(names = "--tag-policy", paramLabel = "immutable|overwrite",
            description = "Whether an existing tag may be moved to another digest (default: ${DEFAULT-VALUE}).")
    String tagPolicy = "immutable";

    /** The policy; an unknown value is refused as bad input for {@code tag-policy}. */
    TagPolicy policy() {
        return TagPolicy.parse(tagPolicy, "tag-policy");
    }
}
