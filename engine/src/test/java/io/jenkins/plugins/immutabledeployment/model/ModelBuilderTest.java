package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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

    private static final String PROD = "registry.example.com/shop-prod/api@" + DIGEST;

    private static ImageView image() {
        return new ImageView("image-1", "registry.example.com/shop/api", List.of("2f22765d0493", "build-42"), DIGEST, 48213377L,
                t("09:15:38"), verifiedProvenance());
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
                        "registry.example.com/shop-staging/api@" + DIGEST)
                .tag("build-42")
                .promoted(t("09:16:10"))
                .buildUrl(BUILD)
                .build()
                .withImageId("image-1");
    }

    private static PromotionView.Builder toProd() {
        return PromotionView.builder("promotion-2", "prod", "registry.example.com/shop-staging/api@" + DIGEST, PROD)
                .tag("release-42")
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
                .promotion(toStaging())
                .promotion(toProd().approved("alice", t("09:20:31"), "Go for the 10:00 window").promoted(t("09:20:33")).build()
                        .withImageId("image-1"));
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
        DeploymentModel model = DeploymentModel.builder().image(image()).build();

        assertThat(model.running()).isFalse();
        assertIsGolden(model, "image-provenance-verified");
    }

    @Test
    void buildsThePendingApprovalExampleAndKeepsItRunning() {
        DeploymentModel model = DeploymentModel.builder()
                .image(image())
                .promotion(toStaging())
                .promotion(toProd().resolvedFrom("registry.example.com/shop-staging/api:build-42").build().withImageId("image-1"))
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
                .image(PROD)
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
                .build()
                .withImageId("image-1");

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
                .image(PROD)
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
                .build()
                .withImageId("image-1");

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
                .image(PROD)
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
                .build()
                .withImageId("image-1");

        DeploymentModel model = promotedToProd()
                .rollout(rollout)
                .action(ActionView.promote("rollout-1", ACTIONS + "rollouts/rollout-1/promote"))
                .action(ActionView.abort("rollout-1", ACTIONS + "rollouts/rollout-1/abort"))
                .build();

        assertThat(RolloutViews.awaitsDecision(rollout)).isTrue();
        assertIsGolden(model, "blue-green-paused");
    }

    @Test
    void buildsTheSeveralImagesExampleFromTheFactsAMonorepoBuildRecords() {
        String web = "sha256:69dde248d4bbb03e8fb684ee4739b60337a8c22a8c33cf2eb7e71252380035d4";
        String monorepo = JENKINS + "/job/shop/job/monorepo/42/";
        ProvenanceView.Builder fromMonorepo = ProvenanceView.newBuilder()
                .builderId(JENKINS + "/job/shop/job/monorepo/")
                .buildUrl(monorepo)
                .source("https://github.com/example/shop.git", "2f22765d04931a078909145ca628d2264c852d7d",
                        "https://github.com/example/shop/commit/2f22765d04931a078909145ca628d2264c852d7d");
        Submitters alice = Submitters.parse("alice", "approval.submitters");
        BuildFacts facts = BuildFacts.empty()
                .withPush("registry.example.com/shop/api", List.of("build-42"), DIGEST, 48213377L, t("09:15:38"),
                        fromMonorepo.signedBy("release-signing-2025").verified().ran(t("09:12:04"), t("09:15:41"))
                                .attestationDigest("sha256:df86e005f5802268497a6007488317bf0fe4ab54d79f7ce0bf73424055520b6d").build())
                .withPush("registry.example.com/shop/web", List.of("build-42"), web, 21754880L, t("09:17:01"),
                        ProvenanceView.newBuilder().builderId(JENKINS + "/job/shop/job/monorepo/").buildUrl(monorepo)
                                .source("https://github.com/example/shop.git", "2f22765d04931a078909145ca628d2264c852d7d",
                                        "https://github.com/example/shop/commit/2f22765d04931a078909145ca628d2264c852d7d")
                                .ran(t("09:15:42"), t("09:17:03"))
                                .attestationDigest("sha256:660a0be0154fce3b66235e144b720102577d0c941e0251aa5e241d9ba4460c09").build())
                .withPromotion(PromotionRecord.awaitingApproval("promotion-1", "prod", "registry.example.com/shop/api@" + DIGEST,
                                "registry.example.com/shop-prod/api:release-42", monorepo, alice, "Promote build 42 to production?",
                                t("09:17:10"), null)
                        .approve("alice", t("09:20:31"), null).promoted(t("09:20:33")))
                .withPromotion(PromotionRecord.promoting("promotion-2", "prod", "registry.example.com/shop/web@" + web,
                        "registry.example.com/shop-prod/web:release-42", monorepo).promoted(t("09:20:35")))
                .withPromotion(PromotionRecord.awaitingApproval("promotion-3", "dr", PROD, "dr.example.com/shop/api:release-42",
                                monorepo, alice, "Copy release 42 of the api to the disaster recovery registry?", t("10:10:05"), null)
                        .withResolvedFrom(ImageRef.parse(
                                "registry.example.com/shop-prod/api:release-42", "image")));
        for (RolloutView rollout : ModelJson.read(GoldenExamples.text(GoldenExamples.named("several-images"))).rollouts()) {
            facts = facts.withRollout(rollout.withImageId(null)); // the plugin records the runner's view; the image is named on the way out
        }
        Viewer submitter = new Viewer("alice", List.of(), true, Viewer.NameMatch.EXACT, Viewer.NameMatch.EXACT);
        ActionUrls urls = (kind, id) -> "/job/shop/job/monorepo/42/immutable-deployment/" + kind.name().toLowerCase(Locale.ROOT)
                + "?" + (kind.onPromotion() ? "promotion" : "rollout") + "=" + id;

        boolean building = true; // the dr promotion waits for alice
        DeploymentModel model = ModelAssembler.assemble(BuildFacts.fromJson(facts.toJson()), building, submitter, urls);

        assertThat(model.running()).isTrue();
        assertIsGolden(model, "several-images");
    }
}
