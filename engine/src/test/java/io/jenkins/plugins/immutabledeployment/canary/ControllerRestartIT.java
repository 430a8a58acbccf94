package io.jenkins.plugins.immutabledeployment.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jenkins.plugins.immutabledeployment.kube.ClusterConnection;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.kube.Release;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseLedger;
import io.jenkins.plugins.immutabledeployment.kube.ReleaseOutcome;
import io.jenkins.plugins.immutabledeployment.kube.RolloutLock;
import io.jenkins.plugins.immutabledeployment.metrics.AnalysisMeasurer;
import io.jenkins.plugins.immutabledeployment.metrics.PrometheusOptions;
import io.jenkins.plugins.immutabledeployment.model.RolloutViews;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPhase;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import io.jenkins.plugins.immutabledeployment.rollout.UserCommand;
import io.jenkins.plugins.immutabledeployment.testing.kube.LaunchedCluster;
import io.jenkins.plugins.immutabledeployment.testing.kube.MockCluster;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Jenkins controller restart in the middle of 20 rollouts (issue 13, item 5), on the engine's side: the mock
 * cluster runs in a process of its own ({@link LaunchedCluster}) and survives; the controller's rollout runtime — a
 * {@link ClusterRunners} as the plugin's RolloutRuntime makes it — is closed at shutdown (every rollout abandoned,
 * its lock and status left in the cluster) and a new one resumes each rollout from its annotation, as each build's
 * step does in onResume ({@code runners.get(cluster, connection).resume(request, listener)}). Every rollout ends as
 * decided after the restart, and the Leases prove that none was driven by two processes: each Lease was written by
 * the first process, then only by the second.
 */
class ControllerRestartIT {

    private static final int ROLLOUTS = 20;
    private static final String NAMESPACE = "restart";
    private static final String OLD = "registry.example.com/shop/api@" + Digest.sha256("old".getBytes(StandardCharsets.UTF_8));
    private static final String NEW = "registry.example.com/shop/api@" + Digest.sha256("new".getBytes(StandardCharsets.UTF_8));

    private LaunchedCluster cluster;
    private KubernetesClient control;
    private ScheduledExecutorService scheduler;
    private SharedIndexInformer<Lease> leases;
    /** Every version of every Lease seen: its name, the process that wrote it (null once deleted). */
    private final List<Map.Entry<String, String>> leaseWrites = new CopyOnWriteArrayList<>();

    @BeforeEach
    void launch() throws Exception {
        cluster = LaunchedCluster.start();
        control = cluster.newClient();
        scheduler = Executors.newScheduledThreadPool(4, r -> {
            Thread thread = new Thread(r, "rollouts");
            thread.setDaemon(true);
            return thread;
        });
        leases = control.leases().inNamespace(NAMESPACE).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Lease lease) {
                seen(lease);
            }

            @Override
            public void onUpdate(Lease before, Lease after) {
                seen(after);
            }

            @Override
            public void onDelete(Lease lease, boolean finalStateUnknown) {
                leaseWrites.add(new java.util.AbstractMap.SimpleEntry<>(lease.getMetadata().getName(), null));
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        leases.close();
        scheduler.shutdownNow();
        control.close();
        assertThat(cluster.stop()).as("exit status (1: the fake controller failed)\n%s", cluster.logText()).isZero();
    }

    @Test
    void twentyRolloutsAbandonedByARestartAreResumedByTheNewControllerAndEachEndsOnce() throws Exception {
        ClusterConnection connection = ClusterConnection.kubeconfig(cluster.kubeconfigText(), null);
        RolloutPlan plan = PlanParser.fromArguments(NEW, Map.of("steps", "25,pause,100"));
        Map<DeploymentTarget, String> holders = new LinkedHashMap<>();
        for (int i = 0; i < ROLLOUTS; i++) {
            DeploymentTarget target = DeploymentTarget.of(NAMESPACE, "api-" + i);
            control.apps().deployments().inNamespace(NAMESPACE).resource(LaunchedCluster.stable(NAMESPACE, target.deployment(), 2, OLD))
                    .create();
            holders.put(target, "https://jenkins.example.com/job/api-" + i + "/3/");
        }
        holders.keySet().forEach(t -> LaunchedCluster.awaitRolledOut(control, NAMESPACE, t.deployment(), 2));

        ClusterRunners before = runtime();
        for (Map.Entry<DeploymentTarget, String> rollout : holders.entrySet()) {
            CanaryRollouts rollouts = before.get("", connection);
            rollouts.start(new RolloutRequest(rollout.getKey(), plan, rollout.getValue(), null), RolloutListener.NONE);
        }
        holders.keySet().forEach(this::awaitDecisionWanted);
        String firstProcess = processOf(holders.keySet().iterator().next());
        before.close(); // Jenkins shuts down: RolloutRuntime.shutdown closes the runners, the rollouts are abandoned

        ClusterRunners after = runtime();
        Map<DeploymentTarget, RolloutHandle> resumed = new HashMap<>();
        for (Map.Entry<DeploymentTarget, String> rollout : holders.entrySet()) {
            RolloutHandle handle = after.get("", connection).resume(new RolloutRequest(rollout.getKey(), plan, rollout.getValue(), null),
                    RolloutListener.NONE);
            assertThat(RolloutViews.awaitsDecision(handle.status())).as("%s is still waiting at its pause", rollout.getKey()).isTrue();
            resumed.put(rollout.getKey(), handle);
        }
        String secondProcess = processOf(holders.keySet().iterator().next());
        assertThat(secondProcess).isNotEqualTo(firstProcess);
        int i = 0;
        for (DeploymentTarget target : holders.keySet()) {
            // The build page's buttons, through the engine (RolloutRuntime.decide): every fourth is aborted.
            UserCommand command = i++ % 4 == 0 ? UserCommand.abort("carol", Instant.now(), "not this one")
                    : UserCommand.promote("carol", Instant.now());
            after.get("", connection).send(target, command);
        }

        i = 0;
        ReleaseLedger ledger = new ReleaseLedger(control);
        for (Map.Entry<DeploymentTarget, String> rollout : holders.entrySet()) {
            DeploymentTarget target = rollout.getKey();
            boolean aborted = i++ % 4 == 0;
            RolloutResult result = MockCluster.await(resumed.get(target).completion(), "the rollout of " + target);
            assertThat(result.phase()).as("%s: %s", target, result.reason()).isEqualTo(aborted ? RolloutPhase.ABORTED : RolloutPhase.HEALTHY);
            assertThat(stableImage(target)).isEqualTo(aborted ? OLD : NEW);
            assertThat(control.apps().deployments().inNamespace(NAMESPACE).withName(target.canaryName()).get()).isNull();
            assertThat(ledger.history(target)).as("recorded once, by its own build").extracting(Release::deployedBy, Release::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(rollout.getValue(),
                            aborted ? ReleaseOutcome.ABORTED : ReleaseOutcome.PROMOTED));
        }
        after.close();

        for (DeploymentTarget target : holders.keySet()) {
            List<String> writers = writersOf(RolloutLock.leaseName(target));
            assertThat(writers).as("who wrote the Lease of %s, in order", target)
                    .startsWith(firstProcess).contains(secondProcess).endsWith((String) null);
            int firstOfSecond = writers.indexOf(secondProcess);
            assertThat(writers.subList(firstOfSecond, writers.size() - 1)).as("after the second process took %s, only it wrote", target)
                    .containsOnly(secondProcess);
            assertThat(writers.subList(0, firstOfSecond)).containsOnly(firstProcess);
        }
    }

    /** As the plugin's RolloutRuntime makes it: real clock, one shared scheduler, Prometheus analysis. */
    private ClusterRunners runtime() {
        return new ClusterRunners(client -> new CanaryRollouts(client, Clock.systemUTC(), scheduler,
                AnalysisMeasurer.withOptions(PrometheusOptions.defaults()), image -> true), Clock.systemUTC());
    }

    private void awaitDecisionWanted(DeploymentTarget target) {
        LaunchedCluster.awaitRolloutStatus(control, target, RolloutViews::awaitsDecision);
    }

    private String processOf(DeploymentTarget target) {
        Lease lease = control.leases().inNamespace(NAMESPACE).withName(RolloutLock.leaseName(target)).get();
        return lease.getMetadata().getAnnotations().get(RolloutLock.PROCESS_ANNOTATION);
    }

    private void seen(Lease lease) {
        leaseWrites.add(new java.util.AbstractMap.SimpleEntry<>(lease.getMetadata().getName(),
                lease.getMetadata().getAnnotations() == null ? null : lease.getMetadata().getAnnotations().get(RolloutLock.PROCESS_ANNOTATION)));
    }

    /** The processes that wrote the Lease {@code name}, one entry per version seen, null for its deletion. */
    private List<String> writersOf(String name) {
        List<String> writers = new ArrayList<>();
        leaseWrites.stream().filter(e -> e.getKey().equals(name)).forEach(e -> writers.add(e.getValue()));
        return writers;
    }

    private String stableImage(DeploymentTarget target) {
        return control.apps().deployments().inNamespace(NAMESPACE).withName(target.deployment()).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
