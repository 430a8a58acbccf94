package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.testing.FreePort;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Failures no retry mends are reported at once, with the fact a front end turns into its hint; those a retry may
 * mend are retried, each retry announced with its reason and delay.
 */
class RegistryConnectionProblemsIT {

    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> announced = new CopyOnWriteArrayList<>();

    @Test
    void plainHttpToATlsRegistryFailsAtOnceSayingItSpeaksTls() {
        try (RegistryServer registry = RegistryServer.withTls()) {
            assertFailsAtOnce(client(registry.host(), registry.connection().withPlainHttp(true)),
                    ConnectionProblem.TLS_SERVER, "speaks TLS");
        }
    }

    @Test
    void tlsToAPlainHttpRegistryFailsAtOnceSayingItSpeaksPlainHttp() {
        try (RegistryServer registry = RegistryServer.plain()) {
            assertFailsAtOnce(client(registry.host(), registry.connection().withPlainHttp(false)),
                    ConnectionProblem.PLAIN_HTTP_SERVER, "speaks plain HTTP");
        }
    }

    @Test
    void untrustedCertificateFailsAtOnceSayingSo() {
        try (RegistryServer registry = RegistryServer.withTls()) {
            assertFailsAtOnce(client(registry.host(), registry.connection().withCaCertificate(null)),
                    ConnectionProblem.UNTRUSTED_CERTIFICATE, "not trusted");
        }
    }

    private void assertFailsAtOnce(RegistryClient client, ConnectionProblem problem, String fact) {
        assertThatThrownBy(() -> client.resolve("any/app", "1"))
                .isInstanceOfSatisfying(RegistryConnectionException.class, e -> assertThat(e.problem()).isEqualTo(problem))
                .hasMessageContaining(fact);
        assertThat(sleeps).as("waits before retries").isEmpty();
    }

    @Test
    void refusedConnectionIsRetriedAndEachRetryAnnouncedWithReasonAndDelay() {
        String host = "127.0.0.1:" + FreePort.find();
        RegistryConnection connection = RegistryConnection.defaults().withPlainHttp(true)
                .withRetry(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100)));
        RegistryClient client = client(host, connection);

        assertThatThrownBy(() -> client.resolve("any/app", "1"))
                .isInstanceOf(RegistryException.class)
                .isNotInstanceOf(RegistryConnectionException.class)
                .hasMessageContaining("after 3 attempts");
        assertThat(sleeps).hasSize(2);
        assertThat(announced).hasSize(2).first().asString()
                .contains("retrying resolve any/app:1 at " + host)
                .contains("(attempt 2 of 3)")
                .contains("ConnectException")
                .containsPattern(" in \\d+ ms ");
    }

    @Test
    void unknownHostIsNotWorthRetrying() {
        assertThat(ConnectionProblem.of(new ConnectException("x") {
            {
                initCause(new UnresolvedAddressException());
            }
        })).isEqualTo(ConnectionProblem.UNKNOWN_HOST);
        assertThat(ConnectionProblem.of(new ConnectException("Connection refused"))).isNull();
    }

    private RegistryClient client(String host, RegistryConnection connection) {
        return new RegistryClient(host, connection.withSleeper(sleeps::add).withRetryReports(announced::add));
    }
}
