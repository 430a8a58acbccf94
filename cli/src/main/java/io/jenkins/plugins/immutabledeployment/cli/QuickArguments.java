package io.jenkins.plugins.immutabledeployment.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Parses the arguments of {@code push} and {@code copy} in their plain form without picocli: each argument a long
 * option of the command followed by its value, or a flag, each option at most once, the required ones all there.
 * Building picocli's model of a command costs about 90 ms of a run's start (its classes and the JVM's annotation
 * proxies, bench/README.md), a quarter of a small push. Anything else (help, {@code --option=value}, an {@code @file},
 * an unknown or repeated option, a missing value or one that starts with {@code -} or {@code @}) is left to picocli,
 * which parses it or explains the mistake. QuickArgumentsTest holds these tables to the commands' picocli options.
 */
final class QuickArguments {

    private static final Map<String, Table<? extends JsonCommand>> TABLES = Map.of("push", push(), "copy", copy());

    private QuickArguments() {}

    /** The command {@code args} run, parsed, or null when picocli is to parse them. */
    static JsonCommand parse(String... args) {
        Table<? extends JsonCommand> table = args.length == 0 ? null : TABLES.get(args[0]);
        return table == null ? null : table.parse(args);
    }

    /** How an option is given. */
    enum Kind { FLAG, VALUE, REQUIRED_VALUE }

    /** The options parsed here for {@code command}, by long name. */
    static Map<String, Kind> options(String command) {
        return TABLES.get(command).options();
    }

    private static Table<PushCommand> push() {
        return new Table<>(PushCommand::new)
                .required("--archive", (c, v) -> c.archive = v)
                .required("--image", (c, v) -> c.image = v)
                .value("--sign-key", (c, v) -> c.signKey = Path.of(v))
                .flag("--no-provenance", c -> c.noProvenance = true)
                .value("--sbom", (c, v) -> c.sbom = Path.of(v))
                .value("--builder-id", (c, v) -> c.provenanceOptions.builderId = v)
                .value("--build-url", (c, v) -> c.provenanceOptions.buildUrl = v)
                .value("--job", (c, v) -> c.provenanceOptions.job = v)
                .value("--source-repository", (c, v) -> c.provenanceOptions.sourceRepository = v)
                .value("--source-commit", (c, v) -> c.provenanceOptions.sourceCommit = v)
                .value("--source-ref", (c, v) -> c.provenanceOptions.sourceRef = v)
                .shared(c -> c.tagPolicy, c -> c.registry);
    }

    private static Table<CopyCommand> copy() {
        return new Table<>(CopyCommand::new)
                .required("--image", (c, v) -> c.image = v)
                .required("--to", (c, v) -> c.to = v)
                .shared(c -> c.tagPolicy, c -> c.registry);
    }

    /** The options of one command, by long name. */
    private static final class Table<C extends JsonCommand> {

        private final Supplier<C> command;
        private final Map<String, BiConsumer<C, String>> values = new HashMap<>();
        private final Map<String, Consumer<C>> flags = new HashMap<>();
        private final Set<String> required = new HashSet<>();

        Table(Supplier<C> command) {
            this.command = command;
        }

        Table<C> value(String name, BiConsumer<C, String> setter) {
            values.put(name, setter);
            return this;
        }

        Table<C> required(String name, BiConsumer<C, String> setter) {
            required.add(name);
            return value(name, setter);
        }

        Table<C> flag(String name, Consumer<C> setter) {
            flags.put(name, setter);
            return this;
        }

        /** The options push and copy share: {@code --quiet}, {@code --tag-policy} and the registry options. */
        Table<C> shared(Function<C, TagPolicyOption> tagPolicy, Function<C, RegistryOptions> registry) {
            return flag("--quiet", c -> c.quiet = true)
                    .value("--tag-policy", (c, v) -> tagPolicy.apply(c).tagPolicy = v)
                    .flag("--plain-http", c -> registry.apply(c).plainHttp = true)
                    .value("--ca-cert", (c, v) -> registry.apply(c).caCert = Path.of(v))
                    .value("--auth-file", (c, v) -> registry.apply(c).authFile = Path.of(v))
                    .value("--username", (c, v) -> registry.apply(c).username = v)
                    .flag("--password-stdin", c -> registry.apply(c).passwordStdin = true);
        }

        C parse(String[] args) {
            C parsed = command.get();
            Set<String> seen = new HashSet<>();
            for (int i = 1; i < args.length; i++) {
                String name = args[i];
                if (!seen.add(name)) {
                    return null;
                }
                Consumer<C> flag = flags.get(name);
                if (flag != null) {
                    flag.accept(parsed);
                    continue;
                }
                BiConsumer<C, String> value = values.get(name);
                if (value == null || i + 1 == args.length || !plainValue(args[i + 1])) {
                    return null;
                }
                try {
                    value.accept(parsed, args[++i]);
                } catch (InvalidPathException e) {
                    return null;
                }
            }
            return seen.containsAll(required) ? parsed : null;
        }

        Map<String, Kind> options() {
            Map<String, Kind> options = new HashMap<>();
            values.keySet().forEach(name -> options.put(name,
                    required.contains(name) ? Kind.REQUIRED_VALUE : Kind.VALUE));
            flags.keySet().forEach(name -> options.put(name, Kind.FLAG));
            return options;
        }

        /** Not an option, nor an argument file picocli would expand. */
        private static boolean plainValue(String value) {
            return !value.startsWith("-") && !value.startsWith("@");
        }
    }
}
