package io.jenkins.plugins.immutabledeployment.provenance;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one labelled block of a PEM text (RFC 7468). Messages name the labels that were found but never
 * quote the text: it may be a private key.
 */
final class Pem {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private Pem() {}

    /** The DER bytes of the first block labelled {@code label}. */
    static byte[] decode(String text, String label, String field, String acceptedForm) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is empty", acceptedForm);
        }
        List<String> labels = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            if (!block.group(1).equals(label)) {
                labels.add(block.group(1));
                continue;
            }
            String body = block.group(2);
            if (body.indexOf(':') >= 0) {
                throw new InvalidInputException(field, "is an encrypted (Proc-Type) PEM block", acceptedForm);
            }
            try {
                return Base64.getMimeDecoder().decode(body.strip());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field, "holds a " + label + " block that is not base64", acceptedForm);
            }
        }
        if (labels.isEmpty()) {
            throw new InvalidInputException(field, "is not PEM (no -----BEGIN " + label + "----- block)", acceptedForm);
        }
        throw new InvalidInputException(
                field, "holds " + String.join(", ", labels) + " instead of a " + label + " block", acceptedForm);
    }
}
