package io.jenkins.plugins.immutabledeployment.build;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The values a build must never show: those of the secret variables of its environment (a Pipeline's
 * {@code withCredentials} binds them and names them sensitive). A builder argument containing one is printed masked;
 * a build arg carrying one is recorded in the provenance as {@link #MASK}, with a warning, since builders keep build
 * args in the image's history.
 *
 * @param values the secret values; empty ones are ignored (they would mask everything)
 */
public record SecretValues(Set<String> values) {

    public static final String MASK = "****";
    public static final SecretValues NONE = new SecretValues(Set.of());

    public SecretValues {
        values = values.stream().filter(Objects::nonNull).filter(v -> !v.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The values of the variables {@code sensitiveNames} in {@code environment}. */
    public static SecretValues of(Collection<String> sensitiveNames, Map<String, String> environment) {
        return new SecretValues(sensitiveNames.stream().map(environment::get).filter(Objects::nonNull).collect(Collectors.toSet()));
    }

    /** Whether {@code text} contains a secret value. */
    public boolean appearIn(String text) {
        return text != null && values.stream().anyMatch(text::contains);
    }

    /** For each argument of {@code argv}, whether it must be printed masked. */
    public boolean[] masks(List<String> argv) {
        boolean[] masks = new boolean[argv.size()];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = appearIn(argv.get(i));
        }
        return masks;
    }

    /** {@code args} with every value that carries a secret replaced by {@link #MASK}, for records. */
    public BuildArgs redact(BuildArgs args) {
        Map<String, String> redacted = new LinkedHashMap<>();
        args.values().forEach((name, value) -> redacted.put(name, appearIn(value) ? MASK : value));
        return new BuildArgs(redacted);
    }

    /** The names of the build args of {@code args} that carry a secret, in order. */
    public List<String> carriedBy(BuildArgs args) {
        List<String> names = new ArrayList<>();
        args.values().forEach((name, value) -> {
            if (appearIn(value)) {
                names.add(name);
            }
        });
        return names;
    }
}
