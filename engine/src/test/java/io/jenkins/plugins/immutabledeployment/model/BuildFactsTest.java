package io.jenkins.plugins.immutabledeployment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a build records: every push, and facts stored by older versions read as they would be recorded now. */
class BuildFactsTest {

    private static final String API = "sha256:" + "9f".repeat(32);
    private static final String WEB = "sha256:" + "3c".repeat(32);
    private static final Instant T1 = Instant.parse("2025-06-03T09:15:38Z");
    private static final Instant T2 = Instant.parse("2025-06-03T09:17:01Z");
    private static final ActionUrls URLS = (kind, id) -> "/job/shop/job/api/42/immutable-deployment/" + kind + "?id=" + id;
    /** Builds recorded before, long finished. */
    private static final boolean ENDED = false;

    private static ProvenanceView provenance(String buildUrl) {
        return ProvenanceView.newBuilder().buildUrl(buildUrl).build();
    }

    @Test
    void keepsEveryImageABuildPushesInTheOrderOfThePushes() {
        BuildFacts facts = BuildFacts.empty()
                .withPush("registry.example.com/shop/api", List.of("b1"), API, 10L, T1, provenance("https://ci/api"))
                .withPush("registry.example.com/shop/web", List.of("b1"), WEB, 20L, T2, null);

        assertThat(facts.images()).extracting(ImageView::id, ImageView::repository, ImageView::digest).containsExactly(
                tuple("image-1", "registry.example.com/shop/api", API), tuple("image-2", "registry.example.com/shop/web", WEB));
        assertThat(facts.images().get(0).provenance().buildUrl()).isEqualTo("https://ci/api");
        assertThat(facts.images().get(1).provenance()).isNull();
        assertThat(BuildFacts.fromJson(facts.toJson())).isEqualTo(facts);
        assertThat(ModelAssembler.assemble(facts, ENDED, Viewer.ANONYMOUS, URLS).images()).isEqualTo(facts.images());
    }

    @Test
    void aDigestPushedAgainToItsRepositoryIsTheSameImageWithTheTagsOfBoth() {
        BuildFacts facts = BuildFacts.empty()
                .withPush("registry.example.com/shop/api", List.of("b1"), API, 10L, T1, provenance("https://ci/first"))
                .withPush("registry.example.com/shop/web", List.of(), WEB, 20L, T1, null)
                .withPush("registry.example.com/shop/api", List.of("latest-green", "b1"), API, 10L, T2, null)
                .withPush("mirror.example.com/shop/api", List.of("b1"), API, 10L, T2, null);

        assertThat(facts.images()).extracting(ImageView::id).containsExactly("image-1", "image-2", "image-3");
        ImageView again = facts.images().get(0);
        assertThat(again.tags()).containsExactly("b1", "latest-green");
        assertThat(again.pushedAt()).isEqualTo(T2);
        assertThat(again.provenance().buildUrl()).as("a push without provenance keeps the one attached before").isEqualTo("https://ci/first");
        assertThat(facts.images().get(2).repository()).as("the same bytes elsewhere are another image").isEqualTo("mirror.example.com/shop/api");
    }

    @Test
    void factsStoredByVersion1LoadAsTheyWouldBeRecordedNowAndMakeTheSameDocumentAsEver() {
        String stored = GoldenExamples.text(GoldenExamples.STORED.resolve("facts-v1-release.json"));

        BuildFacts facts = BuildFacts.fromJson(stored);

        assertThat(facts.version()).isEqualTo(BuildFacts.VERSION);
        assertThat(facts.images()).singleElement().satisfies(image -> {
            assertThat(image.id()).isEqualTo("image-1");
            assertThat(image.pinned()).isEqualTo("registry.example.com/shop/api@sha256:9f343fb5e3da62e54d6d261e01d6a2430ea0cc0c5f86926f9b77e58a09b9f724");
            assertThat(image.provenance().verified()).isTrue();
        });
        assertThat(facts.promotions()).extracting(p -> p.view().to(), p -> p.view().tag()).containsExactly(
                tuple("registry.example.com/shop-staging/api@sha256:9f343fb5e3da62e54d6d261e01d6a2430ea0cc0c5f86926f9b77e58a09b9f724", null),
                tuple("registry.example.com/shop-prod/api@sha256:9f343fb5e3da62e54d6d261e01d6a2430ea0cc0c5f86926f9b77e58a09b9f724", "release-42"));
        assertThat(facts.promotion("promotion-15").orElseThrow().deadline()).as("what deciding needs is kept")
                .isEqualTo(Instant.parse("2025-06-04T09:16:12Z"));
        assertThat(facts.promotion("promotion-15").orElseThrow().stepResult()).containsEntry("tag", "release-42");
        assertThat(BuildFacts.fromJson(facts.toJson())).as("written again as version 2, read back the same").isEqualTo(facts);

        String document = ModelAssembler.json(facts, ENDED, Viewer.ANONYMOUS, URLS);
        String golden = GoldenExamples.text(GoldenExamples.named("release-recorded-by-v1"));
        assertThat(GoldenExamples.sameDocument(golden, document))
                .as("the document of a build recorded by version 1:%n%s", GoldenExamples.tree(document).toPrettyString())
                .isTrue();
    }

    @Test
    void aVersion1RolloutWithoutImageMeantTheBuildsImage() {
        String stored = "{\"version\":1,\"image\":{\"repository\":\"registry.example.com/shop/api\",\"tags\":[],\"digest\":\"" + API + "\"},"
                + "\"rollouts\":[{\"id\":\"rollout-1\",\"deployment\":\"api\",\"namespace\":\"shop\",\"phase\":\"Healthy\",\"running\":false,"
                + "\"steps\":[],\"analyses\":[]}]}";

        BuildFacts facts = BuildFacts.fromJson(stored);

        assertThat(facts.rollouts()).singleElement().satisfies(r -> assertThat(r.image()).isEqualTo("registry.example.com/shop/api@" + API));
        assertThat(ModelAssembler.assemble(facts, ENDED, Viewer.ANONYMOUS, URLS).rollouts().get(0).imageId()).isEqualTo("image-1");
    }

    @Test
    void version1FactsWithoutImageOrWithATargetThisCodeCannotReadStillLoad() {
        String stored = "{\"version\":1,\"promotions\":[{\"view\":{\"id\":\"p\",\"stage\":\"prod\",\"from\":\"not a reference\","
                + "\"to\":\"shop-prod/api:1\",\"state\":\"failed\"},\"submitters\":[]}]}";

        BuildFacts facts = BuildFacts.fromJson(stored);

        assertThat(facts.images()).isEmpty();
        assertThat(facts.promotions()).singleElement().satisfies(p -> {
            assertThat(p.view().to()).as("kept as stored").isEqualTo("shop-prod/api:1");
            assertThat(p.view().tag()).isNull();
        });
        assertThat(BuildFacts.fromJson("{\"version\":1}")).isEqualTo(BuildFacts.empty());
        assertThat(BuildFacts.fromJson("{}")).as("no version: the first").isEqualTo(BuildFacts.empty());
    }

    @Test
    void refusesTextThatIsNotFacts() {
        assertThatThrownBy(() -> BuildFacts.fromJson("[]")).isInstanceOf(InvalidInputException.class).hasMessageStartingWith("facts:");
        assertThatThrownBy(() -> BuildFacts.fromJson("{")).isInstanceOf(InvalidInputException.class).hasMessageStartingWith("facts:");
    }
}
