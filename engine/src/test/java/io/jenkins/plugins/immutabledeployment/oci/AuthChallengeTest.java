package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void readsBearerChallengeWithQuotedParameters() {
        List<AuthChallenge> challenges = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/alpine:pull,push\"");

        assertThat(challenges).containsExactly(new AuthChallenge("bearer", Map.of(
                "realm", "https://auth.docker.io/token",
                "service", "registry.docker.io",
                "scope", "repository:library/alpine:pull,push")));
    }

    @Test
    void readsSeveralChallengesAndUnquotedValuesAndEscapes() {
        List<AuthChallenge> challenges = AuthChallenge.parse(
                "Basic realm=\"Registry \\\"Realm\\\"\", Bearer realm=https://x.example/token , service=x");

        assertThat(challenges).containsExactly(
                new AuthChallenge("basic", Map.of("realm", "Registry \"Realm\"")),
                new AuthChallenge("bearer", Map.of("realm", "https://x.example/token", "service", "x")));
    }

    @Test
    void readsSchemeWithoutParametersAndSurvivesJunk() {
        assertThat(AuthChallenge.parse("Basic")).containsExactly(new AuthChallenge("basic", Map.of()));
        assertThat(AuthChallenge.parse("")).isEmpty();
        assertThat(AuthChallenge.parse(null)).isEmpty();
        assertThat(AuthChallenge.parse("\"\"junk")).isEmpty();
        assertThat(AuthChallenge.parse("Bearer realm=\"unterminated")).containsExactly(
                new AuthChallenge("bearer", Map.of("realm", "unterminated")));
    }
}
