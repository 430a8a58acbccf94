package io.jenkins.plugins.immutabledeployment;

import java.util.Objects;

/**
 * Bad input, refused before anything in a registry or cluster changes (the CLI exits with 2).
 * The message always names the field and the accepted form, e.g.
 * {@code image: "shop/api:latest" has no digest; expected REPO@sha256:<64 hex>}.
 */
public class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;
    private final String acceptedForm;

    public InvalidInputException(String field, String problem, String acceptedForm) {
        super(field + ": " + problem + (acceptedForm == null || acceptedForm.isEmpty() ? "" : "; expected " + acceptedForm));
        this.field = Objects.requireNonNull(field, "field");
        this.problem = problem;
        this.acceptedForm = acceptedForm == null ? "" : acceptedForm;
    }

    /** The name of the input that was wrong, as the user wrote it (a step parameter or CLI option). */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field's name. */
    public String problem() {
        return problem;
    }

    /** What would have been accepted, or {@code ""}. */
    public String acceptedForm() {
        return acceptedForm;
    }
}
