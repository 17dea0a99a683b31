package dev.troupe.busnats.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.error.TroupeException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@link ControlRecord}s as JSON: {@code {"v": 1, "type": "StepDone", …}}; run events nest with their own type. */
public final class ControlCodec {
    private static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)   // newer writers may add fields
            .registerModule(new SimpleModule("troupe-message")
                    .addSerializer(Message.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Message m, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeTree(MessageCodec.toTree(m));
                        }
                    })
                    .addDeserializer(Message.class, new JsonDeserializer<>() {
                        @Override
                        public Message deserialize(JsonParser p, DeserializationContext c) throws IOException {
                            return MessageCodec.fromTree(p.readValueAsTree());
                        }
                    }));

    private static final Map<String, Class<?>> RECORDS = types(ControlRecord.class);
    private static final Map<String, Class<?>> EVENTS = types(RunEvent.class);

    private ControlCodec() {}

    private static Map<String, Class<?>> types(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses()).filter(Class::isRecord)
                .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));
    }

    public static byte[] encode(ControlRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("v", MessageCodec.VERSION);
        n.put("type", r.getClass().getSimpleName());
        if (r instanceof ControlRecord.Forwarded f) {
            n.put("runId", f.runId());
            n.put("eventType", f.event().getClass().getSimpleName());
            n.set("event", MAPPER.valueToTree(f.event()));
        } else {
            n.setAll((ObjectNode) MAPPER.valueToTree(r));
        }
        n.remove("kind");
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static ControlRecord decode(byte[] bytes) {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            String type = n.path("type").asText();
            Class<?> c = RECORDS.get(type);
            if (c == null || n.path("v").asInt() != MessageCodec.VERSION) {
                throw new IllegalArgumentException("unknown control record type '" + type + "' (version " + n.path("v") + ")");
            }
            if (c == ControlRecord.Forwarded.class) {
                Class<?> e = EVENTS.get(n.path("eventType").asText());
                if (e == null) {
                    throw new IllegalArgumentException("unknown run event type '" + n.path("eventType").asText() + "'");
                }
                return new ControlRecord.Forwarded(n.path("runId").asText(), (RunEvent) MAPPER.treeToValue(n.get("event"), e));
            }
            ObjectNode fields = ((ObjectNode) n).deepCopy();
            fields.remove(java.util.List.of("v", "type"));
            return (ControlRecord) MAPPER.treeToValue(fields, c);
        } catch (IOException | RuntimeException e) {
            throw new TroupeException("Not a Troupe control record (" + e.getMessage() + "): "
                    + new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8), e);
        }
    }
}
