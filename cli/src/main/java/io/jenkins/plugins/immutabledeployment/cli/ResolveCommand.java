package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code resolve REF}: the digest a tag (or digest) resolves to in the registry, now. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = "Resolve a tag (or check a digest) in the registry; prints {\"digest\": …}.")
final class ResolveCommand extends JsonCommand {

    @Parameters(index = "0", paramLabel = "REF", description = "REPO[:TAG] or REPO@sha256:HEX.")
    String reference;

    @Option(names = "--verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fetch the manifest and hash it (the default); --no-verify takes the registry's"
                    + " Docker-Content-Digest header from one HEAD instead, falling back to fetching when it is absent"
                    + " or disagrees.")
    boolean verify;

    @Mixin
    RegistryOptions registry;

    @Override
    protected Object execute(Progress progress) {
        ImageRef ref = ImageRef.parse(reference, "reference");
        registry.validate(root());
        Digest digest = registry.client(ref).resolve(ref, verify);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", ref.name() + "@" + digest);
        result.put("digest", digest);
        result.put("repository", ref.name());
        result.put("reference", ref.toString());
        result.put("verified", verify);
        return result;
    }
}
