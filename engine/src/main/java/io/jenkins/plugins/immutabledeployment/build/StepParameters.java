package io.jenkins.plugins.immutabledeployment.build;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.ImageRef;
import java.util.List;
import java.util.Map;

/**
 * Reading the plain values a Pipeline step hands over (a map of parameter names to strings, booleans and maps),
 * with errors that name the parameter. Absent, {@code null} and blank text all mean "not given".
 */
public final class StepParameters {

    public static final String TAG_FORM = "up to 128 of A-Z a-z 0-9 _ . - , not starting with . or -";

    private StepParameters() {}

    /** Refuses a parameter {@code what} does not have. */
    public static void only(Map<String, ?> parameters, List<String> known, String what) {
        for (Object name : parameters.keySet()) {
            if (!known.contains(String.valueOf(name))) {
                throw new InvalidInputException(String.valueOf(name), "is not a parameter of " + what,
                        "one of " + String.join(", ", known));
            }
        }
    }

    /** Stripped text, or {@code null} when not given. */
    public static String text(Map<String, ?> parameters, String name, String field) {
        Object value = parameters.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof CharSequence)) {
            throw new InvalidInputException(field, "is a " + value.getClass().getSimpleName(), "a string");
        }
        String text = value.toString().strip();
        return text.isEmpty() ? null : text;
    }

    public static String text(Map<String, ?> parameters, String name) {
        return text(parameters, name, name);
    }

    /** {@code false} when not given. */
    public static boolean flag(Map<String, ?> parameters, String name) {
        Object value = parameters.get(name);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw new InvalidInputException(name, "is not true or false", "true or false");
        }
        return b;
    }

    /**
     * {@code image} with the step's separate {@code tag} parameter applied: the tag may be written in either
     * place, or the same in both.
     *
     * @param imageField the parameter {@code image} came from, named when the two tags differ
     */
    public static ImageRef withTag(ImageRef image, String tag, String imageField) {
        if (tag == null) {
            return image;
        }
        tag(tag, "tag");
        if (image.tag() != null && !image.tag().equals(tag)) {
            throw new InvalidInputException("tag", "\"" + tag + "\" differs from the tag \"" + image.tag() + "\" in "
                    + imageField, "the tag either in " + imageField + " or in tag, or the same in both");
        }
        return image.withTag(tag);
    }

    /** A tag as registries accept it: up to 128 of {@code A-Z a-z 0-9 _ . -}, not starting with '.' or '-'. */
    public static String tag(String tag, String field) {
        boolean valid;
        try {
            valid = tag.equals(ImageRef.parse("localhost/tag:" + tag, field).tag());
        } catch (InvalidInputException e) {
            valid = false;
        }
        if (!valid) {
            throw new InvalidInputException(field, "\"" + tag + "\" is not a tag", TAG_FORM);
        }
        return tag;
    }
}
