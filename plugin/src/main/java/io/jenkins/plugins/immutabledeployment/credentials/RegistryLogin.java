package io.jenkins.plugins.immutabledeployment.credentials;

import java.util.Objects;

/** A registry user name and password, resolved for one build. {@link #toString()} never shows the password. */
public record RegistryLogin(String username, String password) {

    public RegistryLogin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "RegistryLogin[username=" + username + ", password=****]";
    }
}
