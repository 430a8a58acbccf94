package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.PushResult;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What the CLI's rollout tests set up: an image in the real registry, a kubeconfig pointing at the mock cluster. */
final class CliFixtures {

    private CliFixtures() {}

    /** Pushes a new one-file image to {@code repositoryAndTag}, built in {@code work}. */
    static PushResult push(RegistryServer registry, Path work, String repositoryAndTag, String content) {
        Path layout = Umoci.imageWithFiles(work.resolve("layout-" + content), "v1", Map.of("app", content));
        try (ImageArchive archive = ImageArchive.open(layout, "archive")) {
            return new ImagePusher(new RegistryClient(registry.host(), registry.connection()), Progress.NONE)
                    .push(archive, registry.ref(repositoryAndTag), TagPolicy.IMMUTABLE);
        }
    }

    /** A kubeconfig file in {@code work} whose current context is the mock cluster. */
    static Path kubeconfig(MockCluster cluster, Path work) throws IOException {
        String server = cluster.server().url("/").replaceAll("/$", "");
        Path file = work.resolve("kubeconfig.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                current-context: mock
                users:
                - name: tester
                  user:
                    token: not-a-real-token
                """.formatted(server));
        return file;
    }
}
