package io.jenkins.plugins.immutabledeployment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.Progress;
import io.jenkins.plugins.immutabledeployment.oci.ImageArchive;
import io.jenkins.plugins.immutabledeployment.oci.ImagePusher;
import io.jenkins.plugins.immutabledeployment.oci.RegistryClient;
import io.jenkins.plugins.immutabledeployment.oci.TagPolicy;
import io.jenkins.plugins.immutabledeployment.testing.RegistryServer;
import io.jenkins.plugins.immutabledeployment.testing.Umoci;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of malformed references, digests and option values: each is refused with exit code 2, the JSON error
 * names the field (or the usage error names the option), and the registry's storage is unchanged. Every case
 * points at a live registry with {@code --plain-http}, so a refusal that came too late would show as a write.
 */
class BadInputIT {

    private static final String HEX = "0123456789abcdef".repeat(4);

    private static RegistryServer registry;
    private static Path work;
    private static Path archive;
    private static Path randomFile;
    private static Path emptyDirectory;
    private static String digest;

    @BeforeAll
    static void seedRegistry() throws Exception {
        registry = RegistryServer.plain();
        work = Files.createTempDirectory("bad-input-");
        archive = Umoci.imageWithFiles(work.resolve("layout"), "v1", Map.of("ok", "valid archive"));
        randomFile = Files.writeString(work.resolve("random.bin"), "neither tar nor PEM nor JSON ".repeat(50));
        emptyDirectory = Files.createDirectories(work.resolve("empty"));
        try (ImageArchive opened = ImageArchive.open(archive, "archive")) {
            digest = new ImagePusher(new RegistryClient(registry.host(), registry.connection()), Progress.NONE)
                    .push(opened, registry.ref("src/app:1"), TagPolicy.IMMUTABLE).digest().hex();
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
        io.jenkins.plugins.immutabledeployment.testing.Command.run(List.of("rm", "-rf", work.toString()));
    }

    static Stream<Arguments> badInputs() {
        String tooLongTag = "t".repeat(129);
        String tooLongName = "a".repeat(250);
        return Stream.of(
                // push --image
                push("image", "is empty", "--image", ""),
                push("image", "path component \"Shop\"", "--image", "Shop/api"),
                push("image", "must be lowercase", "--image", "{R}/Shop/api"),
                push("image", "empty component", "--image", "{R}//api"),
                push("image", "empty component", "--image", "{R}/api/"),
                push("image", "path component \"-api\"", "--image", "{R}/-api"),
                push("image", "path component \"a..b\"", "--image", "{R}/a..b"),
                push("image", "tag \"\"", "--image", "{R}/api:"),
                push("image", "tag \".bad\"", "--image", "{R}/api:.bad"),
                push("image", "tag \"x:y\"", "--image", "{R}/api:x:y"),
                push("image", "tag \"" + tooLongTag + "\"", "--image", "{R}/api:" + tooLongTag),
                push("image", "has a digest", "--image", "{R}/api@sha256:{D}"),
                push("image", "registry port \"99999\"", "--image", "127.0.0.1:99999/api"),
                push("image", "registry port \"\"", "--image", "127.0.0.1:/api"),
                push("image", "no closing ]", "--image", "[::1/api"),
                push("image", "more than 255", "--image", "{R}/" + tooLongName + "/" + tooLongName),
                push("image", "a reference has no scheme: {R}/api:1; expected [HOST[:PORT]/]PATH[:TAG][@sha256:HEX], e.g."
                        + " registry.example.com/shop/api:1.0; to talk plain http to the registry, add --plain-http",
                        "--image", "http://{R}/api:1"),
                // push, other options
                push("tag-policy", "\"sometimes\" is not a tag policy", "--image", "{R}/api", "--tag-policy", "sometimes"),
                push("tag-policy", "\"\" is not a tag policy", "--image", "{R}/api", "--tag-policy", ""),
                bad("archive", "does not exist", "push", "--archive", "/nonexistent/archive", "--image", "{R}/api"),
                bad("archive", "is not a tar file", "push", "--archive", "{RANDOM}", "--image", "{R}/api"),
                bad("archive", "holds neither an OCI layout", "push", "--archive", "{EMPTY}", "--image", "{R}/api"),
                push("ca-cert", "cannot read \"/nonexistent/ca.pem\"", "--image", "{R}/api", "--ca-cert", "/nonexistent/ca.pem"),
                push("ca-cert", "no valid certificate", "--image", "{R}/api", "--ca-cert", "{RANDOM}"),
                push("auth-file", "cannot read", "--image", "{R}/api", "--auth-file", "/nonexistent/auth.json"),
                push("auth-file", "as a JSON auth file", "--image", "{R}/api", "--auth-file", "{RANDOM}"),
                push("username", "without --password-stdin", "--image", "{R}/api", "--username", "alice"),
                pushWithStdin("x\n", "password-stdin", "without --username", "--image", "{R}/api", "--password-stdin"),
                pushWithStdin("", "password-stdin", "standard input is empty", "--image", "{R}/api", "--username",
                        "alice", "--password-stdin"),
                pushWithStdin("\n", "password-stdin", "standard input is empty", "--image", "{R}/api", "--username",
                        "alice", "--password-stdin"),
                bad("usage", "Missing required option: '--archive=PATH[:REF]'", "push", "--image", "{R}/api", "--plain-http"),
                bad("usage", "Missing required option: '--image=REPO[:TAG]'", "push", "--archive", "{A}", "--plain-http"),
                push("usage", "Unknown option: '--bogus'", "--image", "{R}/api", "--bogus"),
                push("usage", "Unmatched argument at index", "--image", "{R}/api", "surplus"),
                bad("usage", "Missing required parameter for option '--archive'", "push", "--image", "{R}/api", "--archive"),
                // copy
                copy("image", "has no digest", "--image", "{R}/src/app:1", "--to", "{R}/dst:1"),
                copy("image", "digest \"sha256:abc\"", "--image", "{R}/src/app@sha256:abc", "--to", "{R}/dst:1"),
                copy("image", "digest \"sha1:", "--image", "{R}/src/app@sha1:" + HEX.substring(0, 40), "--to", "{R}/dst:1"),
                copy("image", "digest \"sha256:" + HEX.toUpperCase(), "--image", "{R}/src/app@sha256:" + HEX.toUpperCase(),
                        "--to", "{R}/dst:1"),
                copy("image", "digest \"sha512:", "--image", "{R}/src/app@sha512:" + HEX, "--to", "{R}/dst:1"),
                copy("to", "has a digest", "--image", "{R}/src/app@sha256:{D}", "--to", "{R}/dst@sha256:{D}"),
                copy("to", "path component \"Dst\"", "--image", "{R}/src/app@sha256:{D}", "--to", "{R}/Dst"),
                copy("to", "is empty", "--image", "{R}/src/app@sha256:{D}", "--to", ""),
                copy("to", "tag \"-x\"", "--image", "{R}/src/app@sha256:{D}", "--to", "{R}/dst:-x"),
                copy("tag-policy", "\"never\" is not a tag policy", "--image", "{R}/src/app@sha256:{D}", "--to",
                        "{R}/dst:1", "--tag-policy", "never"),
                copy("usage", "Missing required option: '--to=REPO[:TAG]'", "--image", "{R}/src/app@sha256:{D}"),
                copy("username", "without --password-stdin", "--image", "{R}/src/app@sha256:{D}", "--to", "{R}/dst:1",
                        "--username", "bob"),
                // resolve
                bad("reference", "must be lowercase", "resolve", "{R}/API", "--plain-http"),
                bad("reference", "is empty", "resolve", "", "--plain-http"),
                bad("reference", "digest \"sha256:zz\"", "resolve", "{R}/src/app@sha256:zz", "--plain-http"),
                bad("usage", "Missing required parameter: 'REF'", "resolve", "--plain-http"),
                bad("ca-cert", "no valid certificate", "resolve", "{R}/src/app:1", "--ca-cert", "{RANDOM}"),
                bad("usage", "Unmatched argument at index 0: 'frobnicate'", "frobnicate"),
                bad("usage", "Unmatched argument at index 0: 'pussh'; did you mean push?", "pussh"),
                bad("usage", "did you mean --plain-http?", "resolve", "{R}/src/app:1", "--plian-http"));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("badInputs")
    void refusesWithExitCode2NamingTheFieldAndWritesNothing(String field, String fragment, String stdin, List<String> args)
            throws Exception {
        List<String> storageBefore = registry.storageListing();
        List<String> logBefore = registry.accessLog();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = ImmutableDeploy.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args.stream().map(BadInputIT::expand).toArray(String[]::new));

        String stderr = err.toString(StandardCharsets.UTF_8);
        JsonNode error = Json.mapper().readTree(out.toString(StandardCharsets.UTF_8)).path("error");
        assertThat(exitCode).as(stderr).isEqualTo(2);
        assertThat(error.path("exitCode").asInt()).isEqualTo(2);
        if (field.equals("usage")) {
            assertThat(error.path("kind").asText()).isEqualTo("usage");
        } else {
            assertThat(error.path("field").asText()).isEqualTo(field);
            assertThat(stderr).startsWith("error: " + field + ": ");
        }
        assertThat(stderr).contains(expand(fragment));
        assertThat(registry.storageListing()).isEqualTo(storageBefore);
        assertThat(registry.accessLog()).as("no request reached the registry").isEqualTo(logBefore);
    }

    private static Arguments push(String field, String fragment, String... args) {
        return pushWithStdin("", field, fragment, args);
    }

    private static Arguments pushWithStdin(String stdin, String field, String fragment, String... args) {
        List<String> all = new ArrayList<>(List.of("push", "--archive", "{A}", "--plain-http"));
        all.addAll(List.of(args));
        return Arguments.of(field, fragment, stdin, all);
    }

    private static Arguments copy(String field, String fragment, String... args) {
        List<String> all = new ArrayList<>(List.of("copy", "--plain-http"));
        all.addAll(List.of(args));
        return Arguments.of(field, fragment, "", all);
    }

    private static Arguments bad(String field, String fragment, String... args) {
        return Arguments.of(field, fragment, "", List.of(args));
    }

    private static String expand(String text) {
        return text.replace("{R}", registry.host()).replace("{D}", digest).replace("{A}", archive.toString())
                .replace("{RANDOM}", randomFile.toString()).replace("{EMPTY}", emptyDirectory.toString());
    }
}
