package io.jenkins.plugins.immutabledeployment.oci;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** A registry user name and password (or token). {@link #toString()} never shows the password. */
public record Credentials(String username, String password) {

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** The value of an HTTP {@code Authorization: Basic} header. */
    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=****]";
    }
}
