package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryAddressTest {

    @ParameterizedTest
    @CsvSource({
        "registry.example.com,registry.example.com",
        "Registry.Example.com:5000,registry.example.com:5000",
        "127.0.0.1:5000,127.0.0.1:5000",
        "localhost,localhost",
        "https://registry.example.com:8443,registry.example.com:8443",
        "http://127.0.0.1:5000/,127.0.0.1:5000",
        "https://registry.example.com/v2/,registry.example.com",
        "'  docker.io ',docker.io"})
    void namesTheHostImageReferencesUse(String text, String host) {
        assertThat(RegistryAddress.parse(text, "url").host()).isEqualTo(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "registry", "registry example", "ftp://registry.example.com", "https://registry.example.com/shop",
        "registry.example.com/shop", "https://registry.example.com?x=1", "reg_istry.example.com", "https://"})
    void refusesWhatIsNotARegistryHost(String text) {
        assertThatThrownBy(() -> RegistryAddress.parse(text, "url"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("url: ")
                .hasMessageContaining("host[:port] or an http(s) URL");
    }

    @org.junit.jupiter.api.Test
    void neverRepeatsCredentialsInAUrl() {
        assertThatThrownBy(() -> RegistryAddress.parse("https://ci:s3cret@registry.example.com", "url"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("user information")
                .message().doesNotContain("s3cret");
    }
}
