package io.jenkins.plugins.immutabledeployment.attestation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import io.jenkins.plugins.immutabledeployment.oci.BlobSource;
import io.jenkins.plugins.immutabledeployment.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * An SBOM file the user made, checked and ready to attach: CycloneDX JSON ({@code "bomFormat": "CycloneDX"}) or
 * SPDX JSON ({@code "spdxVersion": "SPDX-2.x"}, or an SPDX 3 JSON-LD {@code @context}). The format is read from
 * the content, never from the file name. The file is streamed, never held in memory.
 *
 * @param mediaType {@link ArtifactTypes#CYCLONEDX_JSON} or {@link ArtifactTypes#SPDX_JSON}
 */
public record Sbom(Path file, String mediaType, Digest digest, long size) {

    public static final String ACCEPTED_FORM = "a CycloneDX JSON document (\"bomFormat\": \"CycloneDX\") or an SPDX JSON"
            + " document (\"spdxVersion\": \"SPDX-2.x\", or an SPDX 3 JSON-LD @context)";

    /** Reads and checks {@code file}; anything else than a complete CycloneDX or SPDX JSON document is refused. */
    public static Sbom read(Path file, String field) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new InvalidInputException(field, "\"" + file + "\" is not a file", ACCEPTED_FORM);
        }
        if (!Files.isReadable(file)) {
            throw new InvalidInputException(field, "\"" + file + "\" is not readable", ACCEPTED_FORM);
        }
        MessageDigest sha256 = Digest.sha256Digest();
        String mediaType;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256);
                JsonParser parser = Json.mapper().getFactory().createParser(in)) {
            mediaType = detect(parser, file, field);
            while (parser.nextToken() != null) {
                // read to the end, through the digest: a truncated document is refused too
            }
        } catch (IOException e) {
            throw new InvalidInputException(field, "\"" + file + "\" is not valid JSON (" + e.getClass().getSimpleName()
                    + ")", ACCEPTED_FORM);
        }
        try {
            return new Sbom(file, mediaType, Digest.of("sha256", sha256.digest()), Files.size(file));
        } catch (IOException e) {
            throw new InvalidInputException(field, "cannot read \"" + file + "\"", ACCEPTED_FORM);
        }
    }

    /** The file as blob content, for upload. */
    public BlobSource blob() {
        return new BlobSource() {
            @Override
            public Digest digest() {
                return digest;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }

    /** The media type from the top-level fields; the parser is left after the document's first level. */
    private static String detect(JsonParser parser, Path file, String field) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidInputException(field, "\"" + file + "\" is not a JSON object", ACCEPTED_FORM);
        }
        String mediaType = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_STRING && "bomFormat".equals(name) && "CycloneDX".equals(parser.getText())) {
                mediaType = ArtifactTypes.CYCLONEDX_JSON;
            } else if (value == JsonToken.VALUE_STRING && "spdxVersion".equals(name)
                    && parser.getText().startsWith("SPDX-")) {
                mediaType = ArtifactTypes.SPDX_JSON;
            } else if ("@context".equals(name) && isSpdx3Context(parser, value)) {
                mediaType = ArtifactTypes.SPDX_JSON;
            } else {
                parser.skipChildren();
            }
        }
        if (mediaType == null) {
            throw new InvalidInputException(field, "\"" + file + "\" is neither CycloneDX nor SPDX JSON", ACCEPTED_FORM);
        }
        return mediaType;
    }

    private static boolean isSpdx3Context(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText().contains("spdx.org/rdf/3");
        }
        boolean found = false;
        if (value == JsonToken.START_ARRAY) {
            for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                if (item == JsonToken.VALUE_STRING && parser.getText().contains("spdx.org/rdf/3")) {
                    found = true;
                } else {
                    parser.skipChildren();
                }
            }
            return found;
        }
        parser.skipChildren();
        return false;
    }
}
