package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from a Docker or Podman auth file: {@code {"auths": {"HOST": {"auth": "base64(user:password)"}}}}
 * or {@code {"username": …, "password": …}} per host. Credential helpers ({@code credsStore},
 * {@code credHelpers}) and identity tokens are not used.
 */
public final class AuthFile implements CredentialsSource {

    public static final String ACCEPTED_FORM =
            "a JSON file {\"auths\": {\"HOST[:PORT]\": {\"auth\": \"<base64 of user:password>\"}}}";

    private final Map<String, Credentials> byRegistry;

    private AuthFile(Map<String, Credentials> byRegistry) {
        this.byRegistry = Map.copyOf(byRegistry);
    }

    /** Reads an auth file; problems are refused as bad input for {@code field}, never quoting secrets. */
    public static AuthFile read(Path file, String field) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InvalidInputException(field, "cannot read \"" + file + "\" as a JSON auth file ("
                    + Problems.describe(e) + ")", ACCEPTED_FORM);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(field, "\"" + file + "\" is not a JSON object", ACCEPTED_FORM);
        }
        JsonNode auths = root.path("auths");
        if (!auths.isMissingNode() && !auths.isObject()) {
            throw new InvalidInputException(field, "\"auths\" in \"" + file + "\" is not an object", ACCEPTED_FORM);
        }
        Map<String, Credentials> byRegistry = new LinkedHashMap<>();
        auths.fields().forEachRemaining(entry -> {
            Credentials credentials = credentials(field, file, entry.getKey(), entry.getValue());
            if (credentials != null) {
                byRegistry.putIfAbsent(normalise(entry.getKey()), credentials);
            }
        });
        return new AuthFile(byRegistry);
    }

    /**
     * The auth files in the usual places, first found first: {@code $REGISTRY_AUTH_FILE},
     * {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code $DOCKER_CONFIG/config.json}, {@code ~/.docker/config.json}.
     */
    public static CredentialsSource defaults(Map<String, String> environment, Path userHome) {
        List<Path> candidates = new ArrayList<>();
        addIfSet(candidates, environment.get("REGISTRY_AUTH_FILE"), null);
        addIfSet(candidates, environment.get("XDG_RUNTIME_DIR"), "containers/auth.json");
        addIfSet(candidates, environment.get("DOCKER_CONFIG"), "config.json");
        if (userHome != null) {
            candidates.add(userHome.resolve(".docker/config.json"));
        }
        CredentialsSource source = CredentialsSource.NONE;
        for (int i = candidates.size() - 1; i >= 0; i--) {
            Path candidate = candidates.get(i);
            if (Files.isRegularFile(candidate)) {
                source = read(candidate, "auth file " + candidate).orElse(source);
            }
        }
        return source;
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
        return Optional.ofNullable(byRegistry.get(normalise(registry)));
    }

    private static Credentials credentials(String field, Path file, String registry, JsonNode entry) {
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field, "the \"auth\" of \"" + registry + "\" in \"" + file
                        + "\" is not base64", ACCEPTED_FORM);
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new InvalidInputException(field, "the \"auth\" of \"" + registry + "\" in \"" + file
                        + "\" is not base64 of user:password", ACCEPTED_FORM);
            }
            return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        return username.isEmpty() ? null : new Credentials(username, password);
    }

    /** {@code https://index.docker.io/v1/} and {@code registry-1.docker.io} are {@code docker.io}; scheme and path go. */
    static String normalise(String key) {
        String host = key.trim();
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        host = host.toLowerCase(Locale.ROOT);
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> ImageRef.DOCKER_HUB;
            default -> host;
        };
    }

    private static void addIfSet(List<Path> candidates, String value, String child) {
        if (value != null && !value.isBlank()) {
            Path path = Path.of(value);
            candidates.add(child == null ? path : path.resolve(child));
        }
    }
}
