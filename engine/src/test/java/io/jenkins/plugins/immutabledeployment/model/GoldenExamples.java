package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden model documents in {@code docs/model/examples}, shared with the ui module's browser tests, and the build
 * facts older versions stored, in {@code docs/model/stored}.
 */
final class GoldenExamples {

    static final Path MODEL = Path.of(System.getProperty("basedir", "."), "..", "docs", "model").normalize();
    static final Path DIRECTORY = MODEL.resolve("examples");
    static final Path STORED = MODEL.resolve("stored");

    /** Numbers compare by value, so {@code 0.0} in a file equals {@code 0} written by Jackson. */
    static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        }
        return a.equals(b) ? 0 : 1;
    };

    private GoldenExamples() {}

    static List<Path> all() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path named(String name) {
        return DIRECTORY.resolve(name + ".json");
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean sameDocument(String expected, String actual) {
        return tree(expected).equals(NUMBERS_BY_VALUE, tree(actual));
    }
}
