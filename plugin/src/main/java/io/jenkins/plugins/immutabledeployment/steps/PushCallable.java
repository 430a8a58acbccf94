package io.jenkins.plugins.immutabledeployment.steps;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.attestation.ReleasePublisher;
import io.jenkins.plugins.immutabledeployment.attestation.ReleaseResult;
import io.jenkins.plugins.immutabledeployment.credentials.RegistryAccess;
import io.jenkins.plugins.immutabledeployment.oci.ArchiveLocation;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import jenkins.MasterToSlaveFileCallable;

/**
 * Pushes an image archive, and the SBOM if any, from the agent that holds them: image bytes go from the agent to the
 * registry, never through the controller. Called on the workspace; the archive is {@code PATH[:REF]} as the engine's
 * {@link ArchiveLocation} reads it, relative to the workspace (or absolute), read where the files are. Carries only
 * plain values (the login was resolved on the controller; the signing key never comes here) and brings back a plain
 * {@link PushOutcome}.
 */
final class PushCallable extends MasterToSlaveFileCallable<PushOutcome> {

    private static final long serialVersionUID = 1L;

    private final String archive;
    private final String target;
    private final String tagPolicy;
    private final RegistryAccess registry;
    private final String sbom;
    private final TaskListener listener;

    /**
     * @param archive {@code PATH[:REF]}, relative to the workspace or absolute
     * @param sbom the SBOM file's path on the agent, or {@code null}
     */
    PushCallable(String archive, ImageRef target, TagPolicy tagPolicy, RegistryAccess registry, String sbom, TaskListener listener) {
        this.archive = archive;
        this.target = target.toString();
        this.tagPolicy = tagPolicy.name();
        this.registry = registry;
        this.sbom = sbom;
        this.listener = listener;
    }

    @Override
    public PushOutcome invoke(File workspace, VirtualChannel channel) throws IOException {
        ImageRef ref = ImageRef.parse(target, "image");
        ArchiveLocation location = ArchiveLocation.parse(archive, workspace.toPath(), "archive");
        if (!Files.exists(location.path())) {
            throw new InvalidInputException("archive", "\"" + archive + "\" does not exist in the workspace", ArchiveLocation.ACCEPTED_FORM);
        }
        return registry.withClient(client -> {
            try (ImageArchive opened = location.open("archive")) {
                ReleaseResult pushed = new ReleasePublisher(client, Clock.systemUTC(), listener.getLogger()::println)
                        .push(opened, ref, TagPolicy.valueOf(tagPolicy), null, null, sbom == null ? null : Path.of(sbom));
                return PushOutcome.of(pushed);
            }
        });
    }
}
