package io.jenkins.plugins.immutabledeployment.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code history --deployment NAME --namespace NS}: the Deployment's release ledger, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show a Deployment's release ledger (newest first) as JSON.")
final class HistoryCommand extends JsonCommand {

    @Mixin
    KubeOptions kube;

    @Override
    protected Object execute(Progress progress) {
        DeploymentTarget target = kube.target(null);
        try (KubernetesClient client = kube.client()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("deployment", target.toString());
            result.put("releases", new ReleaseLedger(client).history(target));
            return result;
        }
    }
}
