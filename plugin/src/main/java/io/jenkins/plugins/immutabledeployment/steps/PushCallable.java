package io.jenkins.plugins.immutabledeployment.steps;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.immutabledeployment.credentials.RegistryAccess;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.io.File;
import java.io.IOException;
import jenkins.MasterToSlaveFileCallable;

/**
 * Pushes the image archive at the file it is called on, from the agent that holds it: image bytes go from the
 * agent to the registry, never through the controller. Carries only plain values (the login was resolved on the
 * controller) and brings back a plain {@link PushOutcome}.
 */
final class PushCallable extends MasterToSlaveFileCallable<PushOutcome> {

    private static final long serialVersionUID = 1L;

    private final String target;
    private final String tagPolicy;
    private final RegistryAccess registry;
    private final TaskListener listener;

    PushCallable(ImageRef target, TagPolicy tagPolicy, RegistryAccess registry, TaskListener listener) {
        this.target = target.toString();
        this.tagPolicy = tagPolicy.name();
        this.registry = registry;
        this.listener = listener;
    }

    @Override
    public PushOutcome invoke(File archive, VirtualChannel channel) throws IOException {
        ImageRef ref = ImageRef.parse(target, "image");
        return registry.withClient(client -> {
            try (ImageArchive opened = ImageArchive.open(archive.toPath(), "archive")) {
                return PushOutcome.of(new ImagePusher(client, listener.getLogger()::println).push(opened, ref, TagPolicy.valueOf(tagPolicy)));
            }
        });
    }
}
