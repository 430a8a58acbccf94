package io.jenkins.plugins.immutabledeployment.steps;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.attestation.ReleasePublisher;
import io.jenkins.plugins.immutabledeployment.attestation.ReleaseResult;
import io.jenkins.plugins.immutabledeployment.credentials.RegistryAccess;
import io.jenkins.plugins.immutabledeployment.oci.ArchiveLocation;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.provenance.Envelope;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import jenkins.MasterToSlaveFileCallable;

/**
 * Pushes an image archive, with its provenance sealed on the controller and the SBOM if any, from the agent that holds
 * them: image bytes go from the agent to the registry, never through the controller; the provenance and SBOM are
 * attached before the tag is written, which is last. Called on the workspace; the archive is {@code PATH[:REF]} as
 * the engine's {@link ArchiveLocation} reads it, relative to the workspace (or absolute), read where the files are.
 * Carries only plain values (the login was resolved on the controller; the signing key never comes here, only the
 * envelope it signed) and brings back a plain {@link PushOutcome}. {@link #digestOf} tells the controller what to
 * seal the provenance for before the push.
 */
final class PushCallable extends MasterToSlaveFileCallable<PushOutcome> {

    private static final long serialVersionUID = 1L;

    private final String archive;
    private final String target;
    private final String tagPolicy;
    private final RegistryAccess registry;
    private final String sbom;
    private final byte[] provenance;
    private final TaskListener listener;

    /**
     * @param archive {@code PATH[:REF]}, relative to the workspace or absolute
     * @param sbom the SBOM file's path on the agent, or {@code null}
     * @param provenance the provenance's DSSE envelope (JSON) sealed for the archive's digest, or {@code null}
     */
    PushCallable(String archive, ImageRef target, TagPolicy tagPolicy, RegistryAccess registry, String sbom, byte[] provenance,
            TaskListener listener) {
        this.archive = archive;
        this.target = target.toString();
        this.tagPolicy = tagPolicy.name();
        this.registry = registry;
        this.sbom = sbom;
        this.provenance = provenance;
        this.listener = listener;
    }

    @Override
    public PushOutcome invoke(File workspace, VirtualChannel channel) throws IOException {
        ImageRef ref = ImageRef.parse(target, "image");
        ArchiveLocation location = location(archive, workspace);
        Progress log = listener.getLogger()::println;
        return registry.withClient(log, client -> {
            try (ImageArchive opened = location.open("archive")) {
                ReleaseResult pushed = new ReleasePublisher(client, Clock.systemUTC(), log).push(opened, ref, TagPolicy.valueOf(tagPolicy),
                        provenance == null ? null : Envelope.parse(provenance), sbom == null ? null : Path.of(sbom));
                return PushOutcome.of(pushed);
            }
        });
    }

    /** The digest of the image in the archive {@code archive} ({@code PATH[:REF]}) of the workspace it is called on. */
    static MasterToSlaveFileCallable<String> digestOf(String archive) {
        return new DigestOf(archive);
    }

    private static ArchiveLocation location(String archive, File workspace) {
        ArchiveLocation location = ArchiveLocation.parse(archive, workspace.toPath(), "archive");
        if (!Files.exists(location.path())) {
            throw new InvalidInputException("archive", "\"" + archive + "\" does not exist in the workspace", ArchiveLocation.ACCEPTED_FORM);
        }
        return location;
    }

    private static final class DigestOf extends MasterToSlaveFileCallable<String> {
        private static final long serialVersionUID = 1L;
        private final String archive;

        DigestOf(String archive) {
            this.archive = archive;
        }

        @Override
        public String invoke(File workspace, VirtualChannel channel) {
            try (ImageArchive opened = location(archive, workspace).open("archive")) {
                return opened.root().digest().toString();
            }
        }
    }
}
