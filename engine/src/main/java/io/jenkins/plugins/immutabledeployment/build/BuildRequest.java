package io.jenkins.plugins.immutabledeployment.build;

import static io.jenkins.plugins.immutabledeployment.build.StepParameters.text;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The checked inputs of one {@code immutableBuild}: where the image goes and where it comes from (an archive, or
 * a Dockerfile built on the agent). Everything is checked here, before a builder runs or a registry is contacted.
 *
 * @param target {@code REPO[:TAG]} to push to, never with a digest
 * @param tagPolicy whether an existing tag may move
 * @param archive a workspace-relative image archive to push as it is, or {@code null} to build
 * @param builder the builder asked for, or {@code null} for the first one found (only when building)
 * @param dockerfile as given, or {@code null}
 * @param context as given, or {@code null} (the workspace)
 * @param buildArgs {@code ARG} values
 * @param platform the target platform, or {@code null}
 */
public record BuildRequest(
        ImageRef target, TagPolicy tagPolicy, String archive, ImageBuilder builder, String dockerfile, String context,
        BuildArgs buildArgs, String platform) {

    /** The parameters {@link #parse} knows, named as the step names them. */
    public static final List<String> PARAMETERS =
            List.of("image", "tag", "tagPolicy", "archive", "builder", "dockerfile", "context", "buildArgs", "platform");

    private static final List<String> BUILD_ONLY = List.of("builder", "dockerfile", "context", "buildArgs", "platform");

    public BuildRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(tagPolicy, "tagPolicy");
        Objects.requireNonNull(buildArgs, "buildArgs");
        dockerfile = dockerfile == null ? null : BuildOptions.path(dockerfile, "dockerfile");
        context = context == null ? null : BuildOptions.path(context, "context");
        platform = BuildOptions.platform(platform);
        archive = archive == null ? null : BuildOptions.path(archive, "archive");
    }

    /**
     * Checks the step's parameters ({@link #PARAMETERS}; absent or {@code null} means not given).
     *
     * @throws InvalidInputException naming the parameter that is wrong
     */
    public static BuildRequest parse(Map<String, ?> parameters) {
        StepParameters.only(parameters, PARAMETERS, "immutableBuild");
        String image = text(parameters, "image");
        if (image == null) {
            throw new InvalidInputException("image", "is missing", "the repository to push to, REPO[:TAG]");
        }
        ImageRef target = StepParameters.withTag(ImageRef.parse(image, "image").requireNoDigest("image"), text(parameters, "tag"), "image");
        String policy = text(parameters, "tagPolicy");
        TagPolicy tagPolicy = policy == null ? TagPolicy.IMMUTABLE : TagPolicy.parse(policy, "tagPolicy");
        String archive = text(parameters, "archive");
        if (archive != null) {
            for (String name : BUILD_ONLY) {
                Object value = parameters.get(name);
                if (value != null && !(value instanceof Map<?, ?> map && map.isEmpty())) {
                    throw new InvalidInputException("archive", "cannot be combined with " + name
                            + ": an archive is pushed as it is, nothing is built", "either archive or a Dockerfile build");
                }
            }
            return new BuildRequest(target, tagPolicy, archive, null, null, null, BuildArgs.NONE, null);
        }
        Object args = parameters.get("buildArgs");
        if (args != null && !(args instanceof Map<?, ?>)) {
            throw new InvalidInputException("buildArgs", "is not a map", BuildArgs.ACCEPTED_FORM);
        }
        return new BuildRequest(target, tagPolicy, null, ImageBuilder.parse(text(parameters, "builder"), "builder"),
                text(parameters, "dockerfile"), text(parameters, "context"), BuildArgs.parse((Map<?, ?>) args, "buildArgs"),
                text(parameters, "platform"));
    }

    public boolean fromArchive() {
        return archive != null;
    }

    /** The options for the agent build, once the step knows where the archive goes. */
    public BuildOptions options(String localImage, String output) {
        return new BuildOptions(dockerfile, context, buildArgs, platform, localImage, output);
    }

    /** This request with the build args that carry one of {@code secrets} masked: what records may show. */
    public BuildRequest redacted(SecretValues secrets) {
        return new BuildRequest(target, tagPolicy, archive, builder, dockerfile, context, secrets.redact(buildArgs), platform);
    }

    /**
     * The inputs as the provenance's {@code externalParameters} record them; take them from {@link #redacted} when
     * the build has secrets.
     */
    public Map<String, Object> externalParameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("image", target.toString());
        parameters.put("tagPolicy", tagPolicy.toString());
        if (archive != null) {
            parameters.put("archive", archive);
        }
        if (builder != null) {
            parameters.put("builder", builder.id());
        }
        if (dockerfile != null) {
            parameters.put("dockerfile", dockerfile);
        }
        if (context != null) {
            parameters.put("context", context);
        }
        if (!buildArgs.isEmpty()) {
            parameters.put("buildArgs", buildArgs.values());
        }
        if (platform != null) {
            parameters.put("platform", platform);
        }
        return parameters;
    }
}
