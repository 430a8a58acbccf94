package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.ImageWithReferrersCopier;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code copy --image REPO@sha256:HEX --to REPO[:TAG]}: a byte-identical copy with its attached artifacts, no gates. */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = "Copy an image by digest, byte for byte (the digest stays the same), with its attestations and"
                + " SBOMs; no gates.")
final class CopyCommand extends JsonCommand {

    @Option(names = "--image", required = true, paramLabel = "REPO@sha256:HEX", description = "The source, pinned by digest.")
    String image;

    @Option(names = "--to", required = true, paramLabel = "REPO[:TAG]", description = "The target repository, and tag.")
    String to;

    @Mixin
    TagPolicyOption tagPolicy = new TagPolicyOption();

    @Mixin
    RegistryOptions registry = new RegistryOptions();

    @Override
    protected Object execute(Progress progress) {
        ImageRef source = ImageRef.parse(image, "image");
        source.requireDigest("image");
        ImageRef target = ImageRef.parse(to, "to");
        TagPolicy policy = tagPolicy.policy();
        registry.validate(root());
        return new ImageWithReferrersCopier(registry.client(source), registry.client(target), progress)
                .copy(source, target, policy);
    }
}
