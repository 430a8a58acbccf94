package io.jenkins.plugins.immutabledeployment.testing;

import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** skopeo, the independent judge: a registry client nobody on this project wrote. */
public final class Skopeo {

    private Skopeo() {}

    /** The digest skopeo sees for {@code repositoryAndReference} in {@code registry}. */
    public static Digest inspectDigest(RegistryServer registry, String repositoryAndReference) {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--no-tags", "--format", "{{.Digest}}"));
        command.addAll(registry.skopeoOptions(""));
        command.add("docker://" + registry.host() + "/" + repositoryAndReference);
        return Digest.parse(Command.run(command).trim());
    }

    /** The raw manifest bytes skopeo fetches. */
    public static String inspectRaw(RegistryServer registry, String repositoryAndReference) {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
        command.addAll(registry.skopeoOptions(""));
        command.add("docker://" + registry.host() + "/" + repositoryAndReference);
        return Command.run(command);
    }

    /** Copies an image from the registry into an OCI layout directory (digests preserved). */
    public static void copyToOciLayout(RegistryServer registry, String repositoryAndReference, Path layout, String tag) {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--preserve-digests"));
        command.addAll(registry.skopeoOptions("src-"));
        command.add("docker://" + registry.host() + "/" + repositoryAndReference);
        command.add("oci:" + layout + ":" + tag);
        Command.run(command);
    }

    /** Copies an image from the registry into an OCI layout, converting Docker media types to OCI ones. */
    public static void copyToOciLayoutConverting(
            RegistryServer registry, String repositoryAndReference, Path layout, String tag) {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
        command.addAll(registry.skopeoOptions("src-"));
        command.add("docker://" + registry.host() + "/" + repositoryAndReference);
        command.add("oci:" + layout + ":" + tag);
        Command.run(command);
    }

    /** Copies image {@code tag} of one OCI layout into another under {@code targetTag}, as {@code skopeo copy oci:… oci:…}. */
    public static void copyOciLayout(Path layout, String tag, Path target, String targetTag) {
        Command.run(List.of("skopeo", "copy", "--quiet", "oci:" + layout + ":" + tag, "oci:" + target + ":" + targetTag));
    }

    /** Copies an OCI layout into the registry. */
    public static void copyFromOciLayout(Path layout, String tag, RegistryServer registry, String repositoryAndTag) {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
        command.addAll(registry.skopeoOptions("dest-"));
        command.add("oci:" + layout + ":" + tag);
        command.add("docker://" + registry.host() + "/" + repositoryAndTag);
        Command.run(command);
    }
}
