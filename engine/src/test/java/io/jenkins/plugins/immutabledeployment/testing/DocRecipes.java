package io.jenkins.plugins.immutabledeployment.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shell recipes of the documentation, which tests run exactly as written. */
public final class DocRecipes {

    private DocRecipes() {}

    /** The fenced sh block right after {@code <!-- test: NAME -->} in {@code doc}. */
    public static String block(Path doc, String name) {
        Matcher block = Pattern.compile("<!-- test: " + Pattern.quote(name) + " -->\\s*```sh\\n(.*?)```", Pattern.DOTALL)
                .matcher(read(doc));
        assertThat(block.find()).as("block " + name + " in " + doc).isTrue();
        return block.group(1);
    }

    private static String read(Path doc) {
        try {
            return Files.readString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
