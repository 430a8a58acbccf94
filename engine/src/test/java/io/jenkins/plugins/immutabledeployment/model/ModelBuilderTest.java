package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builders the plugin uses produce exactly the shared golden documents. */
class ModelBuilderTest {

    private static final String DIGEST = "sha256:9f343fb5e3da62e54d6d261e01d6a2430ea0cc0c5f86926f9b77e58a09b9f724";
    private static final String JENKINS = "https://jenkins.example.com";
    private static final String BUILD = JENKINS + "/job/shop/job/api/42/";
    private static final String ACTIONS = "/job/shop/job/api/42/immutable-deployment/";

    private static Instant t(String time) {
        return Instant.parse("2025-06-03T" + time + "Z");
    }

    private static ImageView image() {
        return new ImageView("registry.example.com/shop/api", List.of("2f22765d0493", "build-42"), DIGEST, 48213377L,
                t("09:15:38"));
    }

    private static ProvenanceView verifiedProvenance() {
        return ProvenanceView.newBuilder()
                .signedBy("release-signing-2025")
                .verified()
                .builderId(JENKINS + "/job/shop/job/api/")
                .buildUrl(BUILD)
                .source("https://github.com/example/shop-api.git", "2f22765d04931a078909145ca628d2264c852d7d",
                        "https://github.com/example/shop-api/commit/2f22765d04931a078909145ca628d2264c852d7d")
                .source("https://github.com/example/shop-proto.git", "6b1f53303a732ccc8c6aae6640399827c15250e3",
                        "https://github.com/example/shop-proto/commit/6b1f53303a732ccc8c6aae6640399827c15250e3")
                .ran(t("09:12:04"), t("09:15:41"))
                .attestationDigest("sha256:df86e005f5802268497a6007488317bf0fe4ab54d79f7ce0bf73424055520b6d")
                .build();
    }

    private static PromotionView toStaging() {
        return PromotionView.builder("promotion-1", "staging", "registry.example.com/shop/api@" + DIGEST,
                        "registry.example.com/shop-staging/api:build-42")
                .promoted(t("09:16:10"))
                .buildUrl(BUILD)
                .build();
    }

    private static PromotionView.Builder toProd() {
        return PromotionView.builder("promotion-2", "prod", "registry.example.com/shop-staging/api@" + DIGEST,
                        "registry.example.com/shop-prod/api:release-42")
                .awaitingApproval(t("09:16:12"), "Promote build 42 to production?")
                .buildUrl(BUILD);
    }

    private static AnalysisRunView errorsAnalysis() {
        return new AnalysisRunView("errors", 2, AnalysisPhase.SUCCESSFUL, List.of(
                new MeasurementView(t("10:02:19"), 0.0, MeasurementOutcome.SUCCESSFUL),
                new MeasurementView(t("10:02:49"), 0.02, MeasurementOutcome.SUCCESSFUL),
                new MeasurementView(t("10:03:19"), 0.0, MeasurementOutcome.SUCCESSFUL),
                new MeasurementView(t("10:03:49"), 0.01, MeasurementOutcome.SUCCESSFUL)));
    }

    /** The image after both promotions, as the rollout examples start. */
    private static DeploymentModel.Builder promotedToProd() {
        return DeploymentModel.builder()
                .image(image())
                .provenance(verifiedProvenance())
                .promotion(toStaging())
                .promotion(toProd().approved("alice", t("09:20:31"), "Go for the 10:00 window").promoted(t("09:20:33")).build());
    }

    private static void assertIsGolden(DeploymentModel model, String example) {
        String golden = GoldenExamples.text(GoldenExamples.named(example));
        String written = ModelJson.write(model);
        assertThat(GoldenExamples.sameDocument(golden, written))
                .as("builder output%n%s%nequals %s.json", GoldenExamples.tree(written).toPrettyString(), example)
                .isTrue();
    }

    @Test
    void buildsTheVerifiedImageExample() {
        DeploymentModel model = DeploymentModel.builder().image(image()).provenance(verifiedProvenance()).build();

        assertThat(model.running()).isFalse();
        assertIsGolden(model, "image-provenance-verified");
    }

    @Test
    void buildsThePendingApprovalExampleAndKeepsItRunning() {
        DeploymentModel model = DeploymentModel.builder()
                .image(image())
                .provenance(verifiedProvenance())
                .promotion(toStaging())
                .promotion(toProd().resolvedFrom("registry.example.com/shop-staging/api:build-42").build())
                .action(ActionView.approve("promotion-2", ACTIONS + "approve?promotion=promotion-2"))
                .action(ActionView.reject("promotion-2", ACTIONS + "reject?promotion=promotion-2"))
                .build();

        assertThat(model.running()).as("a pending approval may change: keep polling").isTrue();
        assertIsGolden(model, "promotion-awaiting-approval");
    }

    @Test
    void buildsTheRolloutInProgressExample() {
        RolloutView rollout = RolloutView.builder("rollout-1", "api", "shop")
                .cluster("prod")
                .at(4, 50)
                .step(StepView.setWeight(10).succeeded(t("10:00:02"), t("10:00:19")))
                .step(StepView.pause(Duration.ofMinutes(2)).succeeded(t("10:00:19"), t("10:02:19")))
                .step(StepView.analysis("errors").succeeded(t("10:02:19"), t("10:03:49")))
                .step(StepView.setWeight(50).succeeded(t("10:03:49"), t("10:04:12")))
                .step(StepView.analysis("latency").running(t("10:04:12")))
                .step(StepView.pause(Duration.ofMinutes(5)))
                .step(StepView.setWeight(100))
                .analysis(errorsAnalysis())
                .analysis(new AnalysisRunView("latency", 4, AnalysisPhase.RUNNING, List.of(
                        new MeasurementView(t("10:04:12"), 0.182, MeasurementOutcome.SUCCESSFUL),
                        new MeasurementView(t("10:04:42"), Double.NaN, MeasurementOutcome.INCONCLUSIVE,
                                "query returned no data"))))
                .message("Analysis latency: 2 of 4 measurements taken")
                .started(t("10:00:02"))
                .build();

        DeploymentModel model = promotedToProd()
                .rollout(rollout)
                .action(ActionView.abort("rollout-1", ACTIONS + "rollouts/rollout-1/abort"))
                .build();

        assertThat(model.running()).isTrue();
        assertIsGolden(model, "rollout-in-progress");
    }

    @Test
    void buildsTheAbortedRolloutExample() {
        RolloutView rollout = RolloutView.builder("rollout-1", "api", "shop")
                .cluster("prod")
                .at(null, 0)
                .step(StepView.setWeight(10).succeeded(t("10:00:02"), t("10:00:19")))
                .step(StepView.pause(Duration.ofSeconds(120)).failed(t("10:00:19"), t("10:01:07")))
                .step(StepView.analysis("errors").skipped())
                .step(StepView.setWeight(50).skipped())
                .step(StepView.pause(Duration.ofMinutes(5)).skipped())
                .step(StepView.setWeight(100).skipped())
                .aborted("Canary pod api-canary-7d9c6b5f4-x2x8q container api is in CrashLoopBackOff (restarted 3 times)")
                .message("Traffic back to stable; canary api-canary removed. Stable Deployment untouched.")
                .started(t("10:00:02"))
                .finished(t("10:01:09"))
                .build();

        DeploymentModel model = promotedToProd()
                .rollout(rollout)
                .build();

        assertThat(model.running()).as("an aborted rollout is final").isFalse();
        assertIsGolden(model, "rollout-aborted");
    }

    @Test
    void buildsTheBlueGreenExampleWaitingAtItsGate() {
        RolloutView rollout = RolloutView.builder("rollout-1", "api", "shop")
                .cluster("prod")
                .strategy(RolloutStrategy.BLUE_GREEN)
                .phase(RolloutPhase.PAUSED)
                .at(2, 0)
                .step(StepView.preview(4, List.of("api-preview")).succeeded(t("10:00:02"), t("10:00:41")))
                .step(StepView.analysis("smoke").succeeded(t("10:00:41"), t("10:02:11")))
                .step(StepView.manualPause().running(t("10:02:11")))
                .step(StepView.switchAllTraffic())
                .analysis(new AnalysisRunView("smoke", 1, AnalysisPhase.SUCCESSFUL, List.of(
                        new MeasurementView(t("10:00:41"), 0.0, MeasurementOutcome.SUCCESSFUL),
                        new MeasurementView(t("10:01:11"), 0.0, MeasurementOutcome.SUCCESSFUL),
                        new MeasurementView(t("10:01:41"), 0.0, MeasurementOutcome.SUCCESSFUL),
                        new MeasurementView(t("10:02:11"), 0.0, MeasurementOutcome.SUCCESSFUL))))
                .message("waiting for a decision with the preview at 0% traffic: Promote switches all traffic to it,"
                        + " Abort removes it")
                .started(t("10:00:02"))
                .build();

        DeploymentModel model = promotedToProd()
                .rollout(rollout)
                .action(ActionView.promote("rollout-1", ACTIONS + "rollouts/rollout-1/promote"))
                .action(ActionView.abort("rollout-1", ACTIONS + "rollouts/rollout-1/abort"))
                .build();

        assertThat(RolloutViews.awaitsDecision(rollout)).isTrue();
        assertIsGolden(model, "blue-green-paused");
    }
}
