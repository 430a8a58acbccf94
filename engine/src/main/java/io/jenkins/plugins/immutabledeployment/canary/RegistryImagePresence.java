package io.jenkins.plugins.immutabledeployment.canary;

import io.jenkins.plugins.immutabledeployment.kube.ImagePresence;
import io.jenkins.plugins.immutabledeployment.kube.PinnedImage;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.RegistryConnection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Asks the image's registry whether its manifest still exists (a verified GET by digest). A registry that
 * cannot be reached or refuses the credentials is a failure ({@code RegistryException}), not a "no".
 */
public final class RegistryImagePresence implements ImagePresence {

    private final Function<ImageRef, RegistryClient> clients;

    public RegistryImagePresence(Function<ImageRef, RegistryClient> clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    /** One client per registry, all with {@code connection} (credentials, TLS, plain HTTP). */
    public static RegistryImagePresence with(RegistryConnection connection) {
        Map<String, RegistryClient> cache = new ConcurrentHashMap<>();
        return new RegistryImagePresence(image -> cache.computeIfAbsent(image.registry(), r -> new RegistryClient(r, connection)));
    }

    @Override
    public boolean exists(PinnedImage image) {
        ImageRef ref = ImageRef.parse(image.reference(), "image");
        return clients.apply(ref).findManifest(ref.repository(), image.digest().toString()).isPresent();
    }
}
