package io.jenkins.plugins.immutabledeployment.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import org.junit.jupiter.api.Test;

class PromotionTest {

    private static final String DIGEST = "sha256:" + "5f".repeat(32);
    private static final ImageRef PINNED = ImageRef.parse("registry.example.com/shop/api@" + DIGEST, "image");
    private static final ImageRef TAGGED = ImageRef.parse("registry.example.com/shop/api:1.0", "image");
    private static final ImageRef TARGET = ImageRef.parse("registry.example.com/shop-prod/api:release-42", "to");

    @Test
    void aPinnedImageIsPromotedWithDefaults() {
        Promotion promotion = Promotion.of(PINNED, TARGET, "production");

        assertThat(promotion.resolve()).isFalse();
        assertThat(promotion.gates()).isEqualTo(PromotionGates.NONE);
        assertThat(promotion.tagPolicy()).isEqualTo(TagPolicy.IMMUTABLE);
        assertThat(promotion.approval()).isNull();
        assertThat(promotion.signingKey()).isNull();
    }

    @Test
    void refusesATagOnlyImageUnlessAskedToResolveIt() {
        assertThatThrownBy(() -> Promotion.of(TAGGED, TARGET, "production"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("image: \"registry.example.com/shop/api:1.0\" is not pinned by digest")
                .hasMessageContaining("REPO@sha256:<64 hex>");

        assertThat(Promotion.resolving(TAGGED, TARGET, "production").resolve()).isTrue();
    }

    @Test
    void pinningATagKeepsItAsResolvedFromAndPinningAPinnedImageChangesNothing() {
        Promotion asked = Promotion.resolving(TAGGED, TARGET, "production")
                .withBuildUrl("https://ci.example.com/job/shop/7/")
                .withGates(new PromotionGates(true, "staging", null));

        Promotion pinned = asked.pinnedTo(PINNED.digest());

        assertThat(pinned.image()).isEqualTo(PINNED);
        assertThat(pinned.resolvedFrom()).isEqualTo(TAGGED);
        assertThat(pinned).usingRecursiveComparison().ignoringFields("image", "resolvedFrom").isEqualTo(asked);
        assertThat(pinned.withApproval(null).resolvedFrom()).as("kept by the withers").isEqualTo(TAGGED);
        assertThat(pinned.pinnedTo(PINNED.digest())).isSameAs(pinned);
        Promotion given = Promotion.of(PINNED, TARGET, "production");
        assertThat(given.pinnedTo(PINNED.digest())).isSameAs(given);
        assertThat(given.resolvedFrom()).isNull();
        assertThatThrownBy(() -> given.pinnedTo(Digest.parse("sha256:" + "ab".repeat(32), "digest")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAResolvedFromThatIsNotTheTagOfThePinnedImage() {
        ImageRef otherRepository = ImageRef.parse("registry.example.com/shop/web:1.0", "image");

        assertThatThrownBy(() -> new Promotion(TAGGED, true, TAGGED, TARGET, "production", null, null, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("resolvedFrom"));
        assertThatThrownBy(() -> new Promotion(PINNED, true, otherRepository, TARGET, "production", null, null, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("resolvedFrom"));
        assertThatThrownBy(() -> new Promotion(PINNED, true, PINNED, TARGET, "production", null, null, null, null, null))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("resolvedFrom"));
    }

    @Test
    void refusesATargetWithADigest() {
        assertThatThrownBy(() -> Promotion.of(PINNED, TARGET.withDigest(PINNED.digest()), "production"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("to"));
    }

    @Test
    void refusesBadStagesAndBuildUrls() {
        assertThatThrownBy(() -> Promotion.of(PINNED, TARGET, "prod/eu"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("stage: \"prod/eu\" is not a stage name");
        assertThatThrownBy(() -> Promotion.of(PINNED, TARGET, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("stage: ");
        assertThatThrownBy(() -> new PromotionGates(false, "-staging", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("requirePromotedTo: ");
        assertThatThrownBy(() -> Promotion.of(PINNED, TARGET, "production").withBuildUrl("not a url"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("buildUrl: ");
    }

    @Test
    void defaultStageIsTheTargetRepositoryPath() {
        assertThat(Promotion.defaultStage(TARGET)).isEqualTo("shop-prod.api");
        ImageRef deep = ImageRef.parse("registry.example.com/" + "a".repeat(40) + "/" + "b".repeat(40), "to");
        assertThat(Promotion.defaultStage(deep)).hasSize(63);
        // whatever the repository, the default is a valid stage
        Promotion.of(PINNED, deep, Promotion.defaultStage(deep));
    }
}
