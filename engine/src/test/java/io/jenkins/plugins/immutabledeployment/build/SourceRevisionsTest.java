package io.jenkins.plugins.immutabledeployment.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceRevisionsTest {

    private static final String SHA = "2f22765d04931a078909145ca628d2264c852d7d";

    @Test
    void takesTheCommitTheCheckoutReported() {
        SourceRevisions found = SourceRevisions.fromEnvironment(Map.of(
                "GIT_COMMIT", SHA, "GIT_URL", "https://git.example.com/shop/api.git", "GIT_BRANCH", "origin/main"));
        assertThat(found.commits()).containsExactly(new SourceCommit("https://git.example.com/shop/api.git", SHA, "refs/heads/main"));
        assertThat(found.note()).isNull();
    }

    @Test
    void neverRecordsCredentialsFromTheCloneUrl() {
        SourceRevisions found = SourceRevisions.fromEnvironment(Map.of(
                "GIT_COMMIT", SHA, "GIT_URL_1", "https://ci-bot:s3cret-token@git.example.com/shop/api.git"));
        assertThat(found.commits()).hasSize(1);
        assertThat(found.commits().get(0).repository()).isEqualTo("https://git.example.com/shop/api.git").doesNotContain("s3cret");
    }

    @Test
    void saysWhyNothingWasRecorded() {
        assertThat(SourceRevisions.fromEnvironment(Map.of()).note()).startsWith("GIT_COMMIT is not set");
        assertThat(SourceRevisions.fromEnvironment(Map.of("GIT_COMMIT", SHA)).note()).startsWith("GIT_URL is not set");
        SourceRevisions shortSha = SourceRevisions.fromEnvironment(Map.of("GIT_COMMIT", "2f22765", "GIT_URL", "https://h/r.git"));
        assertThat(shortSha.commits()).isEmpty();
        assertThat(shortSha.note()).contains("not a full commit id");
    }

    @Test
    void takesTheRevisionTheMultibranchProjectScheduledWithTheCheckoutsRepository() {
        SourceRevisions found = SourceRevisions.fromScm(SHA, new SourceRevisions.ScmHead("feature/x", false),
                Map.of("GIT_URL", "https://git.example.com/shop/api.git"));
        assertThat(found.commits()).containsExactly(new SourceCommit("https://git.example.com/shop/api.git", SHA, "refs/heads/feature/x"));
        assertThat(SourceRevisions.fromScm(SHA.toUpperCase(), new SourceRevisions.ScmHead("v1.4", true),
                Map.of("GIT_URL", "https://git.example.com/shop/api.git", "GIT_COMMIT", SHA)).commits().get(0).ref())
                .isEqualTo("refs/tags/v1.4");
    }

    @Test
    void withoutARepositoryTheRevisionIsNotRecordedAndTheNoteSaysWhy() {
        SourceRevisions found = SourceRevisions.fromScm(SHA, new SourceRevisions.ScmHead("main", false), Map.of());
        assertThat(found.commits()).isEmpty();
        assertThat(found.note()).contains("revision " + SHA + " names no repository (GIT_URL is not set");
    }

    @Test
    void aLaterCheckoutOfAnotherCommitIsWhatTheProvenanceNames() {
        String other = "9".repeat(40);
        SourceRevisions found = SourceRevisions.fromScm(SHA, new SourceRevisions.ScmHead("main", false),
                Map.of("GIT_COMMIT", other, "GIT_URL", "https://git.example.com/shop/lib.git"));
        assertThat(found.commits()).containsExactly(new SourceCommit("https://git.example.com/shop/lib.git", other, null));
        assertThat(found.note()).contains("is not the revision " + SHA);
    }

    @Test
    void aRevisionThatIsNotOneCommitFallsBackToTheCheckout() {
        Map<String, String> env = Map.of("GIT_COMMIT", SHA, "GIT_URL", "https://git.example.com/shop/api.git");
        assertThat(SourceRevisions.fromScm("1".repeat(40) + "+" + "2".repeat(40), null, env)).isEqualTo(SourceRevisions.fromEnvironment(env));
        assertThat(SourceRevisions.fromScm(null, null, env)).isEqualTo(SourceRevisions.fromEnvironment(env));
    }

    @ParameterizedTest
    @CsvSource({
        "origin/main,,,refs/heads/main",
        "feature/login,,,refs/heads/feature/login",
        "refs/heads/main,,,refs/heads/main",
        "origin/main,release,,refs/heads/release",
        "origin/main,,v1.4,refs/tags/v1.4"})
    void namesTheRefThatResolvedToTheCommit(String gitBranch, String localBranch, String tagName, String ref) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("GIT_BRANCH", gitBranch);
        env.put("GIT_LOCAL_BRANCH", localBranch);
        env.put("TAG_NAME", tagName);
        assertThat(SourceRevisions.ref(env)).isEqualTo(ref);
    }
}
