package io.jenkins.plugins.immutabledeployment.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization of one registry client: learns the scheme from the registry's {@code WWW-Authenticate}
 * challenge, then sends Basic credentials with every request, or Bearer tokens fetched once per scope and cached
 * until they expire.
 */
final class Authenticator {

    /** Tokens are renewed this long before the expiry the token service announced. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

    private record Token(String value, Instant renewAt) {}

    private final String registry;
    private final URI registryBase;
    private final Optional<Credentials> credentials;
    private final HttpClient http;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile AuthChallenge challenge;

    /** @param registryBase the registry's API URL: its scheme and host decide which token realms are acceptable */
    Authenticator(String registry, URI registryBase, Optional<Credentials> credentials, HttpClient http, Clock clock,
            Duration timeout) {
        this.registry = registry;
        this.registryBase = registryBase;
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * The {@code Authorization} header for a request needing {@code scopes}, once the registry's scheme is known;
     * fetches a Bearer token for a scope not yet cached.
     */
    Optional<String> authorization(List<String> scopes) {
        AuthChallenge known = challenge;
        if (known == null) {
            return Optional.empty();
        }
        if ("basic".equals(known.scheme())) {
            return credentials.map(Credentials::basicAuthorization);
        }
        String key = String.join(" ", scopes);
        Token token = tokens.get(key);
        if (!usable(token)) {
            // Parallel blob uploads need the same token: one of them fetches it.
            synchronized (this) {
                token = tokens.get(key);
                if (!usable(token)) {
                    token = fetchToken(known, scopes);
                    tokens.put(key, token);
                }
            }
        }
        return Optional.of("Bearer " + token.value());
    }

    private boolean usable(Token token) {
        return token != null && clock.instant().isBefore(token.renewAt());
    }

    /**
     * Takes in the challenges of a 401 response. Returns whether retrying the request with (new) authorization
     * can help; throws when the registry wants credentials and none are configured.
     *
     * @param sentAuthorization whether the refused request carried authorization already
     */
    boolean challenged(List<String> wwwAuthenticate, List<String> scopes, boolean sentAuthorization) {
        AuthChallenge usable = null;
        for (String header : wwwAuthenticate) {
            for (AuthChallenge candidate : AuthChallenge.parse(header)) {
                if (usable == null && ("bearer".equals(candidate.scheme()) || "basic".equals(candidate.scheme()))) {
                    usable = candidate;
                }
            }
        }
        if (usable == null) {
            return false;
        }
        AuthChallenge previous = challenge;
        challenge = usable;
        if ("basic".equals(usable.scheme())) {
            if (credentials.isEmpty()) {
                throw new RegistryException("registry " + registry + " requires credentials and none were given for it",
                        401, List.of("UNAUTHORIZED"));
            }
            return !sentAuthorization || previous == null || !"basic".equals(previous.scheme());
        }
        if (!sentAuthorization) {
            // A request sent before the scheme was known, or at once with others: nothing was refused, so a token
            // another request fetched meanwhile is kept.
            return true;
        }
        // A Bearer token that was refused is dropped; a fresh one is fetched once.
        return tokens.remove(String.join(" ", scopes)) != null;
    }

    private Token fetchToken(AuthChallenge bearer, List<String> scopes) {
        String realm = bearer.parameter("realm");
        if (realm == null || realm.isBlank()) {
            throw new RegistryException("registry " + registry + " asked for a Bearer token without a realm", 401,
                    List.of("UNAUTHORIZED"));
        }
        StringBuilder query = new StringBuilder();
        String service = bearer.parameter("service");
        if (service != null) {
            query.append("service=").append(encode(service));
        }
        String challengeScope = bearer.parameter("scope");
        for (String scope : scopes) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
        }
        if (challengeScope != null && !scopes.contains(challengeScope)) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(challengeScope));
        }
        URI uri = URI.create(acceptableRealm(realm) + (realm.contains("?") ? "&" : "?") + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
                .header("User-Agent", RegistryClient.USER_AGENT);
        credentials.ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException("token service of registry " + registry + " at " + uri.getHost()
                    + " could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while fetching a token for registry " + registry, e);
        }
        if (response.statusCode() != 200) {
            throw new RegistryException("token service of registry " + registry + " refused "
                    + (credentials.isPresent() ? "the credentials" : "anonymous access") + " for scope "
                    + String.join(" ", scopes) + ": HTTP " + response.statusCode(), response.statusCode(), List.of());
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException("token service of registry " + registry + " answered with no JSON", 200, List.of());
        }
        String value = body.path("token").asText(body.path("access_token").asText(""));
        if (value.isEmpty()) {
            throw new RegistryException("token service of registry " + registry + " answered without a token", 200,
                    List.of());
        }
        Duration lifetime = Duration.ofSeconds(Math.max(1, body.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds())));
        Duration margin = lifetime.dividedBy(2).compareTo(EXPIRY_MARGIN) < 0 ? lifetime.dividedBy(2) : EXPIRY_MARGIN;
        return new Token(value, clock.instant().plus(lifetime.minus(margin)));
    }

    /**
     * The realm, if credentials (or a token) may travel there: never over a weaker scheme than the registry's own
     * (plain HTTP for a TLS registry), and to another host only over TLS.
     */
    private String acceptableRealm(String realm) {
        URI uri;
        try {
            uri = URI.create(realm.trim());
        } catch (IllegalArgumentException e) {
            throw new UnsafeTokenRealmException(registry, realm, "it is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new UnsafeTokenRealmException(registry, realm, "it is not an http(s) URL");
        }
        if (scheme.equals("http") && registryBase.getScheme().equals("https")) {
            throw new UnsafeTokenRealmException(registry, realm,
                    "the registry speaks TLS, and credentials are not sent in clear text to its token service");
        }
        if (scheme.equals("http") && !uri.getHost().equalsIgnoreCase(registryBase.getHost())) {
            throw new UnsafeTokenRealmException(registry, realm,
                    "a token service on another host than the registry's is only used over TLS");
        }
        return realm.trim();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
