package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.promotion.Promoter;
import io.jenkins.plugins.immutabledeployment.promotion.Promotion;
import io.jenkins.plugins.immutabledeployment.promotion.PromotionGates;
import io.jenkins.plugins.immutabledeployment.provenance.PromotionPredicate;
import io.jenkins.plugins.immutabledeployment.provenance.SigningKey;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code promote --image REPO@sha256:HEX --to REPO[:TAG] [--require-provenance --public-key PEM]
 * [--require-promoted-to STAGE] [--stage NAME] [--approved-by WHO] [--resolve] [--sign-key PEM]}.
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Promote an image by digest to the next stage's repository: gates first, then a byte-identical"
                + " copy with its attestations, the tag, and a promotion attestation.")
final class PromoteCommand extends JsonCommand {

    @Option(names = "--image", required = true, paramLabel = "REPO@sha256:HEX",
            description = "The source, pinned by digest (a tag only with --resolve).")
    String image;

    @Option(names = "--to", required = true, paramLabel = "REPO[:TAG]",
            description = "The target repository (same or another registry), and the tag to write there.")
    String to;

    @Option(names = "--resolve", description = "Accept a tag for --image: resolve it to its digest once, and record that.")
    boolean resolve;

    @Option(names = "--stage", paramLabel = "NAME",
            description = "The stage promoted to, recorded in the promotion attestation (default: the target repository"
                    + " path with '/' as '.', e.g. shop-prod.api).")
    String stage;

    @Mixin
    GateOptions gateOptions;

    @Option(names = "--approved-by", paramLabel = "WHO", description = "Record who approved this promotion (now).")
    String approvedBy;

    @Option(names = "--approval-comment", paramLabel = "TEXT", description = "Record the approver's comment.")
    String approvalComment;

    @Option(names = "--build-url", paramLabel = "URL",
            description = "Record the build that promoted (default: the CI run URL from the environment, if any).")
    String buildUrl;

    @Option(names = "--sign-key", paramLabel = "PEM",
            description = "Sign the promotion attestation with this private key (unencrypted PKCS#8 PEM file).")
    Path signKey;

    @Mixin
    TagPolicyOption tagPolicy;

    @Mixin
    RegistryOptions registry;

    @Override
    protected Object execute(Progress progress) {
        Clock clock = Clock.systemUTC();
        ImageRef source = ImageRef.parse(image, "image");
        if (source.digest() == null && !resolve) {
            throw new InvalidInputException("image", "\"" + source + "\" is not pinned by digest (a tag can move; a"
                    + " promotion moves exact bytes)", "REPO@sha256:<64 hex>, or --resolve to pin the tag once");
        }
        ImageRef target = ImageRef.parse(to, "to");
        if (approvalComment != null && approvedBy == null) {
            throw new InvalidInputException("approval-comment", "is given without --approved-by", "--approved-by WHO");
        }
        PromotionGates gates = gateOptions.gates();
        CiEnvironment ci = CiEnvironment.detect(System.getenv());
        Promotion promotion = new Promotion(source, resolve, null, target, stage != null ? stage : Promotion.defaultStage(target),
                approvedBy == null ? null : new PromotionPredicate.Approval(approvedBy, clock.instant(), approvalComment),
                buildUrl != null ? buildUrl : ci.inCi() ? ci.buildUrl() : null,
                signKey == null ? null : SigningKey.fromPemFile(signKey, "sign-key"),
                gates, tagPolicy.policy());
        registry.validate(root());
        return new Promoter(registry.client(source), registry.client(target), clock, progress).promote(promotion);
    }
}
