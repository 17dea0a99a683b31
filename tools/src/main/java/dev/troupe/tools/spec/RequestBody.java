package dev.troupe.tools.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The body an endpoint accepts: its media type and JSON Schema; its top-level properties are also
 * listed among the endpoint's {@link ParamLocation#BODY} parameters so a model can fill them one by one.
 *
 * @param mediaType e.g. {@code application/json} or {@code application/x-www-form-urlencoded}
 * @param schema JSON Schema of the whole body; a private copy
 * @param required whether a call must send a body
 */
public record RequestBody(String mediaType, JsonNode schema, boolean required) {
    public static final String JSON = "application/json";
    public static final String FORM = "application/x-www-form-urlencoded";

    public RequestBody {
        mediaType = mediaType == null || mediaType.isBlank() ? JSON : mediaType;
        schema = Objects.requireNonNull(schema, "schema").deepCopy();
    }

    @Override
    public JsonNode schema() {
        return schema.deepCopy();
    }

    /** Whether the body is sent as form fields rather than as one JSON document. */
    public boolean isForm() {
        return mediaType.startsWith(FORM) || mediaType.startsWith("multipart/form-data");
    }
}
