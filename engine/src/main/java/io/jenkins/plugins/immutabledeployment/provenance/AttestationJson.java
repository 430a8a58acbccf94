package io.jenkins.plugins.immutabledeployment.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;

/**
 * The mapper for attestation documents. A signature covers exact bytes, so the same statement must always
 * serialize to the same bytes: records keep their declaration order, map entries are sorted by key, and
 * nulls are left out everywhere (also inside maps), which the in-toto parsing rules treat as unset.
 */
final class AttestationJson {

    private static final ObjectMapper MAPPER = Json.mapper()
            .copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .setDefaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));

    private AttestationJson() {}

    static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Compact UTF-8 JSON of a value made of this package's records, maps, lists and scalars. */
    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads {@code json} as {@code type}; anything that does not fit is a {@link MalformedAttestationException}. */
    static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MalformedAttestationException("not " + what + ": " + reason(e));
        } catch (IOException e) {
            throw new MalformedAttestationException("not " + what + ": " + e.getMessage());
        }
    }

    static <T> T convert(JsonNode tree, Class<T> type, String what) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new MalformedAttestationException("not " + what + ": " + reason(e));
        }
    }

    /** Our own validation message when a record constructor refused the input, else Jackson's. */
    private static String reason(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidInputException) {
                return t.getMessage();
            }
        }
        return e.getOriginalMessage();
    }
}
