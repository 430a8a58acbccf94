package io.jenkins.plugins.immutabledeployment.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.DeploymentException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.canary.RegistryImagePresence;
import io.jenkins.plugins.immutabledeployment.canary.Rollbacks;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.RollbackRequest;
import io.jenkins.plugins.immutabledeployment.kube.RollbackTarget;
import io.jenkins.plugins.immutabledeployment.rollout.Durations;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rollback --deployment NAME --namespace NS [--revision previous|N | --image REF]}: the fast path back. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Put a Deployment back on an earlier release from its ledger (or an explicit digest), fast: no canary.")
final class RollbackCommand extends JsonCommand {

    @Mixin
    KubeOptions kube;

    @Option(names = "--container", paramLabel = "NAME", description = "The container to update; default the first.")
    String container;

    @Option(names = "--revision", paramLabel = "previous|N", description = "previous (default) or N releases back.")
    String revision;

    @Option(names = "--image", paramLabel = "REPO@sha256:HEX", description = "An explicit digest-pinned image instead of --revision.")
    String image;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long the Deployment may take to roll out. Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Mixin
    RegistryOptions registry;

    @Override
    protected Object execute(Progress progress) {
        if (revision != null && image != null) {
            throw new InvalidInputException("revision", "cannot be combined with --image", "either --revision previous|N or --image REF");
        }
        RollbackTarget to = image != null ? RollbackTarget.image(image) : RollbackTarget.parse(revision);
        DeploymentTarget target = kube.target(container);
        RollbackRequest request = new RollbackRequest(target, to, KubeOptions.who(), Durations.parse(timeout, "timeout"));
        registry.validate(root());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (KubernetesClient client = kube.client()) {
            Rollbacks rollbacks = new Rollbacks(client, new RegistryImagePresence(registry::client), Clock.systemUTC(), executor);
            return rollbacks.start(request, progress).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof DeploymentException cause ? cause : e;
        } finally {
            executor.shutdownNow();
        }
    }
}
