package io.jenkins.plugins.immutabledeployment.cli;

import io.jenkins.plugins.immutabledeployment.provenance.SourceCommit;
import java.util.Map;
import java.util.UUID;

/**
 * The build facts the CI system running the command line puts in the environment, used as the defaults of the
 * provenance options of {@code push} (and of {@code promote --build-url}): Jenkins, GitHub Actions and GitLab CI
 * are recognised. Only values that are not secret are read (GitLab's {@code CI_REPOSITORY_URL}, which carries a
 * job token, is not); user information in URLs is removed when they are recorded anyway.
 *
 * @param builderId the build platform, e.g. the Jenkins job URL
 * @param buildUrl this run's URL
 * @param job the job's (or workflow's) name
 * @param source the checked-out commit, or {@code null}
 * @param inCi whether a CI system was recognised; if not, the facts describe a local invocation
 */
record CiEnvironment(String builderId, String buildUrl, String job, SourceCommit source, boolean inCi) {

    /** The builder id of a command run outside any recognised CI system. */
    static final String LOCAL_BUILDER = "urn:immutable-deploy:cli:local";

    static CiEnvironment detect(Map<String, String> env) {
        if (present(env, "BUILD_URL") && present(env, "JOB_NAME")) {
            String jobUrl = present(env, "JOB_URL") ? env.get("JOB_URL") : env.get("BUILD_URL");
            return new CiEnvironment(jobUrl, env.get("BUILD_URL"), env.get("JOB_NAME"),
                    source(env.get("GIT_URL"), env.get("GIT_COMMIT"), null), true);
        }
        if ("true".equals(env.get("GITHUB_ACTIONS")) && present(env, "GITHUB_SERVER_URL")
                && present(env, "GITHUB_REPOSITORY") && present(env, "GITHUB_RUN_ID")) {
            String repository = env.get("GITHUB_SERVER_URL") + "/" + env.get("GITHUB_REPOSITORY");
            String workflow = present(env, "GITHUB_WORKFLOW") ? "/" + env.get("GITHUB_WORKFLOW") : "";
            return new CiEnvironment(repository + "/actions", repository + "/actions/runs/" + env.get("GITHUB_RUN_ID"),
                    env.get("GITHUB_REPOSITORY") + workflow,
                    source(repository + ".git", env.get("GITHUB_SHA"), env.get("GITHUB_REF")), true);
        }
        if ("true".equals(env.get("GITLAB_CI")) && present(env, "CI_JOB_URL") && present(env, "CI_PROJECT_URL")) {
            String job = env.getOrDefault("CI_PROJECT_PATH", "") + (present(env, "CI_JOB_NAME") ? "/" + env.get("CI_JOB_NAME") : "");
            String ref = present(env, "CI_COMMIT_BRANCH") ? "refs/heads/" + env.get("CI_COMMIT_BRANCH")
                    : present(env, "CI_COMMIT_TAG") ? "refs/tags/" + env.get("CI_COMMIT_TAG") : null;
            return new CiEnvironment(env.get("CI_PROJECT_URL") + "/-/jobs", env.get("CI_JOB_URL"),
                    job.isEmpty() ? env.get("CI_PROJECT_URL") : job,
                    source(env.get("CI_PROJECT_URL") + ".git", env.get("CI_COMMIT_SHA"), ref), true);
        }
        return new CiEnvironment(LOCAL_BUILDER, "urn:uuid:" + UUID.randomUUID(), "local", null, false);
    }

    private static SourceCommit source(String repository, String commit, String ref) {
        if (repository == null || repository.isBlank() || commit == null || commit.isBlank()) {
            return null;
        }
        try {
            return new SourceCommit(repository, commit, ref);
        } catch (IllegalArgumentException notRecordable) {
            return null; // a short or odd commit id in the environment is left out rather than failing the push
        }
    }

    private static boolean present(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
