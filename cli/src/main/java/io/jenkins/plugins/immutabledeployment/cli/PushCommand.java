package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code push --archive PATH --image REPO[:TAG] [--tag-policy immutable|overwrite]}. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Push an image archive (OCI layout directory, OCI archive or docker save tarball); prints its digest.")
final class PushCommand extends JsonCommand {

    @Option(names = "--archive", required = true, paramLabel = "PATH",
            description = "OCI image layout directory, OCI archive (tar, optionally gzip) or docker save tarball.")
    Path archive;

    @Option(names = "--image", required = true, paramLabel = "REPO[:TAG]",
            description = "Where to push; the digest is computed from what is pushed.")
    String image;

    @Mixin
    TagPolicyOption tagPolicy;

    @Mixin
    RegistryOptions registry;

    @Override
    protected Object execute(Progress progress) {
        ImageRef target = ImageRef.parse(image, "image").requireNoDigest("image");
        TagPolicy policy = tagPolicy.policy();
        registry.validate();
        try (ImageArchive opened = ImageArchive.open(archive, "archive")) {
            return new ImagePusher(registry.client(target), progress).push(opened, target, policy);
        }
    }
}
