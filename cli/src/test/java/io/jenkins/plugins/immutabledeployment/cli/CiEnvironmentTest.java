package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CiEnvironmentTest {

    private static final String SHA = "8d3c0e6f2a9b41d7c5e08f1a2b3c4d5e6f708192";

    @Test
    void jenkinsJobUrlIsTheBuilderAndCredentialsInTheGitUrlAreNotRecorded() {
        CiEnvironment ci = CiEnvironment.detect(Map.of(
                "JENKINS_URL", "https://jenkins.example.com/",
                "JOB_URL", "https://jenkins.example.com/job/shop/job/api/",
                "JOB_NAME", "shop/api",
                "BUILD_URL", "https://jenkins.example.com/job/shop/job/api/42/",
                "GIT_URL", "https://bot:s3cret-token@git.example.com/shop/api.git",
                "GIT_COMMIT", SHA));

        assertThat(ci.inCi()).isTrue();
        assertThat(ci.builderId()).isEqualTo("https://jenkins.example.com/job/shop/job/api/");
        assertThat(ci.buildUrl()).isEqualTo("https://jenkins.example.com/job/shop/job/api/42/");
        assertThat(ci.job()).isEqualTo("shop/api");
        assertThat(ci.source()).isEqualTo(new SourceCommit("https://git.example.com/shop/api.git", SHA, null));
        assertThat(ci.source().repository()).doesNotContain("s3cret");
    }

    @Test
    void gitHubActionsRunIsTheBuildUrl() {
        CiEnvironment ci = CiEnvironment.detect(Map.of(
                "GITHUB_ACTIONS", "true",
                "GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_REPOSITORY", "shop/api",
                "GITHUB_RUN_ID", "123456",
                "GITHUB_WORKFLOW", "release",
                "GITHUB_SHA", SHA,
                "GITHUB_REF", "refs/heads/main"));

        assertThat(ci.builderId()).isEqualTo("https://github.com/shop/api/actions");
        assertThat(ci.buildUrl()).isEqualTo("https://github.com/shop/api/actions/runs/123456");
        assertThat(ci.job()).isEqualTo("shop/api/release");
        assertThat(ci.source()).isEqualTo(new SourceCommit("https://github.com/shop/api.git", SHA, "refs/heads/main"));
    }

    @Test
    void gitLabJobUrlIsTheBuildUrlAndTheTokenCarryingRepositoryUrlIsIgnored() {
        CiEnvironment ci = CiEnvironment.detect(Map.of(
                "GITLAB_CI", "true",
                "CI_JOB_URL", "https://gitlab.example.com/shop/api/-/jobs/77",
                "CI_PROJECT_URL", "https://gitlab.example.com/shop/api",
                "CI_PROJECT_PATH", "shop/api",
                "CI_JOB_NAME", "image",
                "CI_COMMIT_SHA", SHA,
                "CI_COMMIT_BRANCH", "main",
                "CI_REPOSITORY_URL", "https://gitlab-ci-token:glcbt-secret@gitlab.example.com/shop/api.git"));

        assertThat(ci.buildUrl()).isEqualTo("https://gitlab.example.com/shop/api/-/jobs/77");
        assertThat(ci.job()).isEqualTo("shop/api/image");
        assertThat(ci.source().repository()).isEqualTo("https://gitlab.example.com/shop/api.git");
        assertThat(ci.source().ref()).isEqualTo("refs/heads/main");
        assertThat(ci.toString()).doesNotContain("glcbt-secret");
    }

    @Test
    void outsideCiTheProvenanceRecordsALocalInvocation() {
        CiEnvironment first = CiEnvironment.detect(Map.of("HOME", "/home/me"));
        CiEnvironment second = CiEnvironment.detect(Map.of());

        assertThat(first.inCi()).isFalse();
        assertThat(first.builderId()).isEqualTo(CiEnvironment.LOCAL_BUILDER);
        assertThat(first.buildUrl()).startsWith("urn:uuid:").isNotEqualTo(second.buildUrl());
        assertThat(first.source()).isNull();
    }

    @Test
    void anAbbreviatedCommitIsLeftOutRatherThanFailingThePush() {
        CiEnvironment ci = CiEnvironment.detect(Map.of("BUILD_URL", "https://ci/job/x/1/", "JOB_NAME", "x",
                "GIT_URL", "https://git.example.com/x.git", "GIT_COMMIT", "8d3c0e6"));

        assertThat(ci.source()).isNull();
    }
}
