package io.jenkins.plugins.immutabledeployment.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrisTest {

    @ParameterizedTest
    @CsvSource({
        "https://jenkins.example.com/job/a/42/, https://jenkins.example.com/job/a/42/",
        "HTTPS://Jenkins.Example.COM:8443/job/A/?x=Y#F, https://jenkins.example.com:8443/job/A/?x=Y#F",
        "https://ci:s3cret@jenkins.example.com/job/a/, https://jenkins.example.com/job/a/",
        "https://user:s3cret@build_host.internal/job/a/, https://build_host.internal/job/a/",
        "https://a@b:s3cret@jenkins.example.com/, https://jenkins.example.com/",
        "urn:uuid:0a1b, urn:uuid:0a1b",
        "file:///srv/git/a.git, file:///srv/git/a.git",
    })
    void absoluteUrisLoseUserInfoAndAreCaseNormalized(String given, String recorded) {
        assertThat(Uris.absolute(given, "f", "x")).isEqualTo(recorded);
    }

    @ParameterizedTest
    @CsvSource({
        "git@github.com:org/repo.git, ssh://github.com/org/repo.git",
        "github.com:org/repo.git, ssh://github.com/org/repo.git",
        "ssh://git@git.example.com:2222/org/repo.git, ssh://git.example.com:2222/org/repo.git",
        "https://oauth2:ghp_t0ken@git.example.com/org/repo.git, https://git.example.com/org/repo.git",
        "/srv/git/repo.git, file:///srv/git/repo.git",
    })
    void gitRepositoriesBecomeUrisWithoutCredentials(String given, String recorded) {
        assertThat(Uris.gitRepository(given, "f")).isEqualTo(recorded);
    }

    @ParameterizedTest
    @CsvSource({"relative/path", "https://user:pa ss@host/"})
    void refusesWhatIsNotAnAbsoluteUriWithoutQuotingIt(String given) {
        assertThatThrownBy(() -> Uris.absolute(given, "buildUrl", "an absolute URL"))
                .hasMessageStartingWith("buildUrl: is not ")
                .hasMessageNotContaining(given);
    }
}
