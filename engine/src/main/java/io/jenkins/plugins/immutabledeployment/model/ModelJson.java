package io.jenkins.plugins.immutabledeployment.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;

/** Writes and reads {@link DeploymentModel} documents with the engine's one JSON configuration. */
public final class ModelJson {

    private static final String ACCEPTED_FORM = "a deployment model JSON document (docs/model.md)";

    private ModelJson() {}

    /** Compact JSON, ISO-8601 instants, absent optional fields left out. */
    public static String write(DeploymentModel model) {
        try {
            return Json.mapper().writeValueAsString(model);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the deployment model could not be serialized", e);
        }
    }

    /** Parses a document; a malformed one is refused naming the field that is wrong. */
    public static DeploymentModel read(String json) {
        try {
            return Json.mapper().readValue(json, DeploymentModel.class);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException(path(e), e.getOriginalMessage(), ACCEPTED_FORM);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("model", e.getOriginalMessage(), ACCEPTED_FORM);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "model" : path.toString();
    }
}
