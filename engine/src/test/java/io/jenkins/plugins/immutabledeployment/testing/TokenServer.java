package io.jenkins.plugins.immutabledeployment.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.oci.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token service for the real registry's {@code auth.token} mode, as the distribution token specification
 * describes it: Basic credentials in, an ES256-signed JWT out, whose {@code x5c} certificate the registry trusts
 * through its {@code rootcertbundle}. Grants every requested scope to the right credentials, nothing to others.
 */
public final class TokenServer implements AutoCloseable {

    public static final String SERVICE = "test-registry";
    public static final String ISSUER = "test-token-issuer";

    private final HttpServer server;
    private final Path directory;
    private final Credentials credentials;
    private final PrivateKey key;
    private final String certificate;
    private final Path certificateFile;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private TokenServer(Credentials credentials, Path directory) throws IOException, GeneralSecurityException {
        this.credentials = credentials;
        this.directory = directory;
        Path keyFile = directory.resolve("token.key");
        this.certificateFile = directory.resolve("token.crt");
        Command.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", keyFile.toString(), "-out", certificateFile.toString(), "-days", "2",
                "-subj", "/CN=test token signer"));
        String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        this.key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        try (InputStream in = Files.newInputStream(certificateFile)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            this.certificate = Base64.getEncoder().encodeToString(cert.getEncoded());
        }
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    public static TokenServer start(String username, String password) {
        try {
            return new TokenServer(new Credentials(username, password), Files.createTempDirectory("token-server-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public Path rootCertificateBundle() {
        return certificateFile;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** How many tokens were handed out so far. */
    public int tokensIssued() {
        return issued.get();
    }

    /** The query strings of the token requests so far (scopes and service). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
            requests.add(URLDecoder.decode(query, StandardCharsets.UTF_8));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authenticated = ("Basic " + Base64.getEncoder().encodeToString((credentials.username() + ":"
                    + credentials.password()).getBytes(StandardCharsets.UTF_8))).equals(authorization);
            if (authorization != null && !authenticated) {
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                return;
            }
            ArrayNode access = Json.mapper().createArrayNode();
            for (String parameter : query.split("&")) {
                if (authenticated && parameter.startsWith("scope=")) {
                    String[] scope = URLDecoder.decode(parameter.substring(6), StandardCharsets.UTF_8).split(":");
                    ObjectNode entry = access.addObject().put("type", scope[0]).put("name", scope[1]);
                    ArrayNode actions = entry.putArray("actions");
                    for (String action : scope[2].split(",")) {
                        actions.add(action);
                    }
                }
            }
            String token = sign(access);
            issued.incrementAndGet();
            send(exchange, 200, "{\"token\":\"" + token + "\",\"expires_in\":300,\"issued_at\":\"" + Instant.now() + "\"}");
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private String sign(ArrayNode access) throws IOException, GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        ObjectNode header = Json.mapper().createObjectNode().put("typ", "JWT").put("alg", "ES256");
        header.putArray("x5c").add(certificate);
        ObjectNode claims = Json.mapper().createObjectNode()
                .put("iss", ISSUER).put("sub", credentials.username()).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
        claims.set("access", access);
        String signingInput = base64Url(Json.mapper().writeValueAsBytes(header)) + "."
                + base64Url(Json.mapper().writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64Url(signature.sign());
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        RegistryServer.deleteRecursively(directory);
    }

    static List<String> registryConfig(TokenServer tokens) {
        List<String> lines = new ArrayList<>();
        lines.add("auth:");
        lines.add("  token:");
        lines.add("    realm: " + tokens.realm());
        lines.add("    service: " + SERVICE);
        lines.add("    issuer: " + ISSUER);
        lines.add("    rootcertbundle: " + tokens.rootCertificateBundle());
        return lines;
    }
}
