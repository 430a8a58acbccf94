package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRulesTest {

    private static final String DIGEST = "sha256:9f343fb5e3da62e54d6d261e01d6a2430ea0cc0c5f86926f9b77e58a09b9f724";

    private static RolloutView rollout(String id) {
        return RolloutView.builder(id, "api", "shop").step(StepView.setWeight(100).running(Instant.EPOCH)).build();
    }

    @Test
    void refusesVerifiedWithoutSignature() {
        assertThatThrownBy(() -> new ProvenanceView(false, true, null, null, null, null, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("provenance.verified");
    }

    @Test
    void refusesAnActionOnARolloutThatIsNotInTheDocument() {
        assertThatThrownBy(() -> DeploymentModel.builder()
                        .rollout(rollout("rollout-1"))
                        .action(ActionView.abort("rollout-2", "abort"))
                        .build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("actions.rolloutId: refers to no rollout");
    }

    @Test
    void refusesAnApproveActionWithoutAPromotion() {
        assertThatThrownBy(() -> new ActionView(ActionKind.APPROVE, null, "approve", "rollout-1", null, false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("actions.promotionId");
    }

    @Test
    void refusesDuplicateRolloutIds() {
        assertThatThrownBy(() -> DeploymentModel.builder().rollout(rollout("r")).rollout(rollout("r")).build())
                .hasMessageContaining("rollouts.id: \"r\" is used twice");
    }

    @Test
    void refusesAWeightOutsideZeroToHundred() {
        assertThatThrownBy(() -> StepView.setWeight(101))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("steps.weight: 101 is out of range; expected a percentage from 0 to 100");
    }

    @Test
    void refusesAPauseThatIsBothTimedAndManual() {
        assertThatThrownBy(() -> new StepView(StepKind.PAUSE, null, 60L, true, null, StepState.PENDING, null, null, null, null, null, null))
                .hasMessageStartingWith("steps.durationSeconds");
    }

    @Test
    void refusesAPreviewOrSwitchRoleOnAnyButItsOwnWeight() {
        assertThatThrownBy(() -> new StepView(StepKind.SET_WEIGHT, 50, null, null, null, StepState.PENDING, null, null, null,
                StepRole.PREVIEW, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("steps.role: PREVIEW on a step that is not setWeight 0; expected preview on setWeight 0, switch on setWeight 100");
        assertThatThrownBy(() -> new StepView(StepKind.PAUSE, null, null, true, null, StepState.PENDING, null, null, null,
                StepRole.SWITCH, null, null))
                .hasMessageStartingWith("steps.role: SWITCH");
    }

    @Test
    void refusesPreviewDetailsOnAnotherStep() {
        assertThatThrownBy(() -> new StepView(StepKind.SET_WEIGHT, 100, null, null, null, StepState.PENDING, null, null, null,
                StepRole.SWITCH, 3, null))
                .hasMessageStartingWith("steps.replicas: is only for the preview");
        assertThatThrownBy(() -> new StepView(StepKind.SET_WEIGHT, 0, null, null, null, StepState.PENDING, null, null, null,
                null, null, List.of("api-preview")))
                .hasMessageStartingWith("steps.services: is only for the preview");
        assertThatThrownBy(() -> StepView.preview(0, null)).hasMessageStartingWith("steps.replicas: 0 is less than 1");
    }

    @Test
    void refusesPreviewAndSwitchStepsOnACanary() {
        assertThatThrownBy(() -> RolloutView.builder("r", "api", "shop").step(StepView.preview(3, null)).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("rollouts.steps[0].role: is only for a blue/green rollout");
    }

    @Test
    void strategyIsLeftOutForACanaryAndReadAsCanaryWhenAbsent() {
        String canary = ModelJson.write(DeploymentModel.builder().rollout(rollout("r")).build());
        assertThat(canary).doesNotContain("strategy");
        assertThat(ModelJson.read(canary).rollouts().get(0).strategy()).isEqualTo(RolloutStrategy.CANARY);

        RolloutView blueGreen = RolloutView.builder("b", "api", "shop").strategy(RolloutStrategy.BLUE_GREEN)
                .step(StepView.preview(3, List.of("api-preview")).succeeded(null, null)).step(StepView.manualPause())
                .step(StepView.switchAllTraffic()).build();
        String written = ModelJson.write(DeploymentModel.builder().rollout(blueGreen).build());
        assertThat(written).contains("\"strategy\":\"blueGreen\"", "\"role\":\"preview\"", "\"role\":\"switch\"",
                "\"replicas\":3", "\"services\":[\"api-preview\"]");
        assertThat(ModelJson.read(written).rollouts().get(0)).isEqualTo(blueGreen);
        assertThat(ModelJson.read(written).rollouts().get(0).isBlueGreen()).isTrue();
    }

    @Test
    void readingNamesAnUnknownStrategy() {
        String json = "{\"schemaVersion\":1,\"rollouts\":[{\"id\":\"r\",\"deployment\":\"d\",\"namespace\":\"n\","
                + "\"strategy\":\"rainbow\",\"phase\":\"Healthy\",\"steps\":[]}]}";

        assertThatThrownBy(() -> ModelJson.read(json))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("rollouts[0].strategy");
    }

    @Test
    void refusesAnImageWithoutARealDigest() {
        assertThatThrownBy(() -> new ImageView("image-1", "shop/api", List.of(), "sha256:abc", null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("images.digest");
    }

    @Test
    void refusesTwoImagesWithOneId() {
        ImageView api = new ImageView("image-1", "shop/api", List.of(), DIGEST, null, null, null);
        ImageView web = new ImageView("image-1", "shop/web", List.of(), DIGEST, null, null, null);

        assertThatThrownBy(() -> DeploymentModel.builder().image(api).image(web).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("images.id: \"image-1\" is used twice");
    }

    @Test
    void refusesAPromotionOrRolloutNamingAnImageTheDocumentDoesNotHave() {
        ImageView api = new ImageView("image-1", "shop/api", List.of(), DIGEST, null, null, null);
        PromotionView promotion = PromotionView.builder("p", "prod", "shop/api@" + DIGEST, "shop-prod/api@" + DIGEST).build();

        assertThatThrownBy(() -> DeploymentModel.builder().image(api).promotion(promotion.withImageId("image-2")).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("promotions.imageId: \"image-2\" refers to no image in this document");
        assertThatThrownBy(() -> DeploymentModel.builder().image(api).rollout(rollout("r").withImageId("image-2")).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("rollouts.imageId");
        assertThat(DeploymentModel.builder().image(api).promotion(promotion.withImageId("image-1")).promotion(
                PromotionView.builder("q", "prod", "other/app@" + DIGEST, "other-prod/app@" + DIGEST).build()).build()
                .promotions()).extracting(PromotionView::imageId).containsExactly("image-1", null);
    }

    @Test
    void readingNamesTheFieldWithAnUnknownValue() {
        String json = "{\"schemaVersion\":1,\"rollouts\":[{\"id\":\"r\",\"deployment\":\"d\",\"namespace\":\"n\","
                + "\"phase\":\"Exploding\",\"steps\":[]}]}";

        assertThatThrownBy(() -> ModelJson.read(json))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("rollouts[0].phase");
    }

    @Test
    void readingRefusesAMissingRequiredField() {
        assertThatThrownBy(() -> ModelJson.read("{\"schemaVersion\":2,\"images\":[{\"id\":\"image-1\",\"repository\":\"shop/api\"}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("images.digest: is missing");
    }

    @Test
    void writesInstantsAsIsoStringsAndLeavesAbsentFieldsOut() {
        DeploymentModel model = DeploymentModel.builder()
                .image(new ImageView("image-1", "shop/api", List.of("1"), DIGEST, null, Instant.parse("2025-06-03T09:15:38.250Z"), null))
                .build();

        String json = ModelJson.write(model);

        assertThat(json).contains("\"pushedAt\":\"2025-06-03T09:15:38.250Z\"")
                .doesNotContain("\"size\"")
                .doesNotContain("\"provenance\"")
                .contains("\"schemaVersion\":2")
                .contains("\"actions\":[]");
    }

    @Test
    void writesTheResolvedTagOnlyWhenATagWasResolved() {
        String from = "registry.example.com/shop/api@" + DIGEST;
        PromotionView resolved = PromotionView.builder("promotion-1", "prod", from, "registry.example.com/shop-prod/api")
                .resolvedFrom("registry.example.com/shop/api:build-7")
                .build();
        PromotionView byDigest = PromotionView.builder("promotion-2", "prod", from, "registry.example.com/shop-prod/api")
                .build();

        String json = ModelJson.write(DeploymentModel.builder().promotion(resolved).promotion(byDigest).build());

        assertThat(json).contains("{\"id\":\"promotion-1\",\"stage\":\"prod\",\"from\":\"" + from
                        + "\",\"resolvedFrom\":\"registry.example.com/shop/api:build-7\",\"to\":")
                .contains("{\"id\":\"promotion-2\",\"stage\":\"prod\",\"from\":\"" + from + "\",\"to\":")
                .containsOnlyOnce("resolvedFrom");
        assertThat(ModelJson.read(json).promotions()).containsExactly(resolved, byDigest);
    }

    @Test
    void readsAPromotionWrittenBeforeResolvedFromExisted() {
        String older = "{\"schemaVersion\":1,\"running\":false,\"promotions\":[{\"id\":\"p\",\"stage\":\"prod\","
                + "\"from\":\"shop/api@" + DIGEST + "\",\"to\":\"shop-prod/api\",\"state\":\"promoted\"}]}";

        assertThat(ModelJson.read(older).promotions()).singleElement()
                .satisfies(p -> assertThat(p.resolvedFrom()).isNull());
    }

    @Test
    void aTimedPauseThatRunsKnowsWhenItEnds() {
        StepView pause = StepView.pause(Duration.ofMinutes(5)).running(Instant.parse("2025-06-03T10:02:10Z"));

        assertThat(pause.endsAt()).isEqualTo(Instant.parse("2025-06-03T10:07:10Z"));
        assertThat(StepView.manualPause().running(Instant.EPOCH).endsAt()).isNull();
    }

    @Test
    void aMeasurementWithoutANumberHasNoValueInJson() {
        MeasurementView nan = new MeasurementView(Instant.EPOCH, Double.NaN, MeasurementOutcome.INCONCLUSIVE);

        assertThat(nan.value()).isNull();
    }

    @Test
    void aCommentFieldIsWrittenOnlyWhenOffered() {
        RolloutView rollout = rollout("r");
        DeploymentModel model = DeploymentModel.builder()
                .rollout(rollout)
                .action(ActionView.abort("r", "abort").withLabel("Abort rollout"))
                .build();

        assertThat(ModelJson.write(model)).contains("{\"kind\":\"abort\",\"label\":\"Abort rollout\",\"url\":\"abort\",\"rolloutId\":\"r\"}");
    }
}
