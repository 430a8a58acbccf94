package io.jenkins.plugins.immutabledeployment.runtime;

import hudson.model.Run;
import io.jenkins.plugins.immutabledeployment.credentials.RegistryAccess;
import io.jenkins.plugins.immutabledeployment.kube.ImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/** Asks an image's registry, with the registry's configured settings and credential for this build, whether it still exists. */
public final class BuildImagePresence implements ImagePresence {

    private final Run<?, ?> run;

    public BuildImagePresence(Run<?, ?> run) {
        this.run = Objects.requireNonNull(run, "run");
    }

    @Override
    public boolean exists(PinnedImage image) {
        ImageRef ref = ImageRef.parse(image.reference(), "image");
        try {
            return RegistryAccess.forImage(run, ref, null, "image")
                    .withClient(c -> c.findManifest(ref.repository(), image.digest().toString()).isPresent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
