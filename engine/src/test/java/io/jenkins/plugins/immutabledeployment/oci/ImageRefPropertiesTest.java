package io.jenkins.plugins.immutabledeployment.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Generated references from the grammar round-trip; arbitrary text either parses consistently or is refused. */
class ImageRefPropertiesTest {

    record Generated(String registry, String path, String tag, String digest) {
        String text() {
            return (registry == null ? "" : registry + "/") + path + (tag == null ? "" : ":" + tag)
                    + (digest == null ? "" : "@" + digest);
        }
    }

    @Property(tries = 500)
    void referencesFromTheGrammarRoundTrip(@ForAll("references") Generated generated) {
        ImageRef ref = ImageRef.parse(generated.text(), "image");

        String expectedRegistry = generated.registry() == null ? "docker.io" : generated.registry();
        String expectedPath = "docker.io".equals(expectedRegistry) && !generated.path().contains("/")
                ? "library/" + generated.path()
                : generated.path();
        assertThat(ref.registry()).isEqualTo(expectedRegistry);
        assertThat(ref.repository()).isEqualTo(expectedPath);
        assertThat(ref.tag()).isEqualTo(generated.tag());
        assertThat(ref.digest() == null ? null : ref.digest().toString()).isEqualTo(generated.digest());
        assertThat(ImageRef.parse(ref.toString(), "image")).isEqualTo(ref);
    }

    @Property(tries = 2000)
    void arbitraryTextParsesConsistentlyOrIsRefusedNamingTheField(@ForAll("noise") String text) {
        ImageRef ref;
        try {
            ref = ImageRef.parse(text, "to");
        } catch (InvalidInputException e) {
            assertThat(e.field()).isEqualTo("to");
            assertThat(e.getMessage()).startsWith("to: ").contains("expected");
            return;
        }
        assertThat(ImageRef.parse(ref.toString(), "to")).isEqualTo(ref);
        assertThat(ref.repository()).matches("[a-z0-9._/-]+");
    }

    @Provide
    Arbitrary<Generated> references() {
        Arbitrary<String> registry = Arbitraries.oneOf(host(), host().flatMap(h -> port().map(p -> h + ":" + p)))
                .injectNull(0.3);
        Arbitrary<String> tag = Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(0).ofMaxLength(20)
                .flatMap(rest -> Arbitraries.of('a', 'Z', '0', '_').map(first -> first + rest))
                .injectNull(0.4);
        Arbitrary<String> digest = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64)
                .map(hex -> "sha256:" + hex).injectNull(0.5);
        return Combinators.combine(registry, path(), tag, digest).as(Generated::new)
                // Without a registry, a first component with a '.' would be one; alone, it names no repository.
                .filter(g -> g.registry() != null || !g.path().split("/")[0].contains("."));
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("ab0Z._-/:@[]5sh").ofMinLength(0).ofMaxLength(30);
    }

    private static Arbitrary<String> host() {
        Arbitrary<String> label = Arbitraries.strings().withChars("abcxyz0189-").ofMinLength(0).ofMaxLength(8)
                .map(s -> "r" + s + "9");
        Arbitrary<String> dotted = label.list().ofMinSize(2).ofMaxSize(4).map(labels -> String.join(".", labels));
        Arbitrary<String> ipv4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(parts -> String.join(".", parts.stream().map(String::valueOf).toList()));
        return Arbitraries.oneOf(dotted, ipv4, Arbitraries.of("localhost", "[::1]", "[fe80::a:1]"));
    }

    private static Arbitrary<Integer> port() {
        return Arbitraries.integers().between(1, 65535);
    }

    private static Arbitrary<String> path() {
        Arbitrary<String> alnum = Arbitraries.strings().withChars("abz019").ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> separator = Arbitraries.of(".", "_", "__", "-", "--", "---");
        Arbitrary<String> component = Combinators.combine(alnum, separator.list().ofMaxSize(2), alnum.list().ofMaxSize(2))
                .as((first, seps, rest) -> {
                    StringBuilder text = new StringBuilder(first);
                    for (int i = 0; i < Math.min(seps.size(), rest.size()); i++) {
                        text.append(seps.get(i)).append(rest.get(i));
                    }
                    return text.toString();
                });
        return component.list().ofMinSize(1).ofMaxSize(4).map(ImageRefPropertiesTest::join);
    }

    private static String join(List<String> components) {
        return String.join("/", components);
    }
}
