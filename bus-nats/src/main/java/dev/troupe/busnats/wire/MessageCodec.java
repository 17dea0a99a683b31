package dev.troupe.busnats.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.error.TroupeException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Message} as JSON on the wire. Written by hand because Jackson cannot build the record's
 * Guava collections, and so the format is ours to version ({@code "v": 1}).
 */
public final class MessageCodec {
    static final int VERSION = 1;

    private MessageCodec() {}

    public static byte[] encode(Message m) {
        try {
            return Json.MAPPER.writeValueAsBytes(toTree(m));
        } catch (IOException e) {
            throw new TroupeException("Cannot encode message " + m.id() + ": " + e.getMessage(), e);
        }
    }

    public static Message decode(byte[] bytes) {
        try {
            return fromTree(Json.MAPPER.readTree(bytes));
        } catch (IOException | RuntimeException e) {
            throw new TroupeException("Not a Troupe message (" + e.getMessage() + "): "
                    + new String(bytes, 0, Math.min(bytes.length, 200), java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }

    public static ObjectNode toTree(Message m) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("v", VERSION);
        n.put("id", m.id());
        n.put("runId", m.runId());
        n.put("round", m.round());
        n.put("sender", m.sender());
        ArrayNode to = n.putArray("sendTo");
        m.sendTo().forEach(to::add);
        n.put("causeBy", m.causeBy());
        n.put("content", m.content());
        m.payload().ifPresent(p -> n.set("payload", p));
        ArrayNode parents = n.putArray("parents");
        m.parents().forEach(parents::add);
        m.model().ifPresent(model -> n.put("model", model));
        n.put("createdAt", m.createdAt().toString());
        return n;
    }

    public static Message fromTree(JsonNode n) {
        int v = n.path("v").asInt(-1);
        if (v != VERSION) {
            throw new IllegalArgumentException("unknown message format version " + n.path("v"));
        }
        Message.Builder b = Message.builder()
                .id(text(n, "id"))
                .runId(text(n, "runId"))
                .round(n.path("round").asInt())
                .sender(text(n, "sender"))
                .sendTo(strings(n.path("sendTo")))
                .causeBy(text(n, "causeBy"))
                .content(text(n, "content"))
                .parents(strings(n.path("parents")))
                .createdAt(Instant.parse(text(n, "createdAt")));
        if (n.hasNonNull("payload")) {
            b.payload(n.get("payload"));
        }
        if (n.hasNonNull("model")) {
            b.model(n.get("model").asText());
        }
        return b.build();
    }

    private static String text(JsonNode n, String field) {
        JsonNode f = n.get(field);
        if (f == null || !f.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return f.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }
}
