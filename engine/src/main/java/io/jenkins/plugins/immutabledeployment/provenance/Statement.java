package io.jenkins.plugins.immutabledeployment.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.util.List;

/**
 * An in-toto attestation framework Statement v1: what (the {@code subject} artifacts, matched by digest) and
 * a typed claim about them (the {@code predicate}). The predicate is kept as a JSON tree so that statements
 * with predicates this project does not model (an SBOM, another tool's provenance) can be read as well;
 * {@link #predicateAs(Class)} gives the typed view.
 */
public record Statement(
        @JsonProperty("_type") String type,
        List<ResourceDescriptor> subject,
        String predicateType,
        JsonNode predicate) {

    public static final String TYPE = "https://in-toto.io/Statement/v1";

    public Statement {
        if (!TYPE.equals(type)) {
            throw new InvalidInputException("_type", "is \"" + type + "\"", TYPE);
        }
        if (subject == null || subject.isEmpty()) {
            throw new InvalidInputException("subject", "is empty", "at least one artifact with a digest");
        }
        subject = List.copyOf(subject);
        if (subject.stream().anyMatch(s -> s.digest() == null)) {
            throw new InvalidInputException("subject", "has an artifact without digest", "every subject has a digest");
        }
        if (predicateType == null || predicateType.isBlank()) {
            throw new InvalidInputException("predicateType", "is empty", "a TypeURI such as " + SlsaProvenance.PREDICATE_TYPE);
        }
        if (predicate != null && predicate.isNull()) {
            predicate = null;
        }
    }

    /** A statement about one image, identified by its name (repository) and manifest digest. */
    public static Statement aboutImage(String imageName, Digest digest, Predicate predicate) {
        if (imageName == null || imageName.isBlank() || imageName.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException("image", "\"" + imageName + "\" is not an image name", "REGISTRY/REPOSITORY");
        }
        return of(List.of(ResourceDescriptor.of(imageName, digest)), predicate);
    }

    public static Statement of(List<ResourceDescriptor> subject, Predicate predicate) {
        return new Statement(
                TYPE, subject, predicate.predicateType(), AttestationJson.mapper().valueToTree(predicate));
    }

    /** Reads a statement from JSON bytes, e.g. a DSSE payload. */
    public static Statement parse(byte[] json) {
        return AttestationJson.read(json, Statement.class, "an in-toto Statement v1");
    }

    /** The predicate as one of this package's predicate records, or any Jackson-readable type. */
    public <T> T predicateAs(Class<T> type) {
        if (predicate == null) {
            throw new MalformedAttestationException("statement of type " + predicateType + " has no predicate");
        }
        return AttestationJson.convert(predicate, type, "a valid " + predicateType + " predicate");
    }

    /** Whether any subject carries {@code digest}; other subjects and other algorithms are ignored. */
    public boolean hasSubject(Digest digest) {
        return subject.stream().anyMatch(s -> s.hasDigest(digest));
    }

    /** Compact JSON with a fixed field order: the bytes a DSSE envelope carries and signs. */
    public byte[] toJson() {
        return AttestationJson.bytes(this);
    }
}
