package dev.troupe.tools.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** The text of an answer already read within the cap by the {@link BodyLimitInterceptor}. */
record ResponseText(String text, boolean truncated, boolean json) {
    private static final ObjectReader STRICT = new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static ResponseText of(Response response, boolean truncated) throws IOException {
        ResponseBody body = response.body();
        if (body == null) {
            return new ResponseText("", false, false);
        }
        MediaType type = body.contentType();
        String text = response.peekBody(Long.MAX_VALUE).source().readString(type == null ? StandardCharsets.UTF_8
                : type.charset(StandardCharsets.UTF_8));
        return new ResponseText(text, truncated, type != null && type.subtype().contains("json"));
    }

    /** Declared JSON, read whole, not empty, and yet not one JSON value. */
    boolean malformedJson() {
        if (!json || truncated || text.isBlank()) {
            return false;
        }
        try {
            STRICT.readTree(text);
            return false;
        } catch (JsonProcessingException e) {
            return true;
        }
    }
}
