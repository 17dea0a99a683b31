package dev.troupe.agents.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.role.StepCall;
import dev.troupe.agents.role.CallOutcome;
import dev.troupe.agents.team.CompletedCall;
import dev.troupe.core.security.Redactor;
import dev.troupe.memory.journal.ActionEntry;
import dev.troupe.memory.journal.MessageEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How messages and completed calls are written in the journal, field by field, so that the
 * stored format changes only when this class does (not when a record gains a component). Every
 * string goes through the {@link Redactor} first: a secret a model echoed is stored masked, like
 * in every other artifact, and a resumed run sees it masked.
 */
final class JournalJson {
    private JournalJson() {}

    static MessageEntry entry(Message m, Redactor r) {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("id", m.id())
                .put("runId", m.runId())
                .put("round", m.round())
                .put("sender", m.sender())
                .put("causeBy", m.causeBy())
                .put("content", m.content());
        ArrayNode sendTo = json.putArray("sendTo");
        m.sendTo().forEach(sendTo::add);
        m.payload().ifPresent(p -> json.set("payload", p));
        ArrayNode parents = json.putArray("parents");
        m.parents().forEach(parents::add);
        m.model().ifPresent(model -> json.put("model", model));
        json.put("createdAt", m.createdAt().toString());
        return new MessageEntry(m.id(), r.redact(m.sender()), r.redact(m.causeBy()), m.round(), text(json, r));
    }

    static Message message(MessageEntry entry) {
        JsonNode json = tree(entry.json(), "message " + entry.messageId());
        Message.Builder b = Message.builder()
                .id(json.path("id").asText())
                .runId(json.path("runId").asText())
                .round(json.path("round").asInt())
                .sender(json.path("sender").asText())
                .sendTo(strings(json.path("sendTo")))
                .causeBy(json.path("causeBy").asText())
                .content(json.path("content").asText())
                .parents(strings(json.path("parents")))
                .createdAt(Instant.parse(json.path("createdAt").asText()));
        if (json.hasNonNull("payload")) {
            b.payload(json.get("payload"));
        }
        if (json.hasNonNull("model")) {
            b.model(json.get("model").asText());
        }
        return b.build();
    }

    static ActionEntry entry(CompletedCall c, Redactor r) {
        StepCall call = c.call();
        ObjectNode step = Json.MAPPER.createObjectNode().put("step", call.step()).put("index", call.index());
        ArrayNode news = step.putArray("news");
        call.news().forEach(news::add);
        Usage u = c.usage();
        ObjectNode usage = Json.MAPPER.createObjectNode().put("calls", u.calls()).put("inputTokens", u.inputTokens())
                .put("outputTokens", u.outputTokens()).put("costUsd", u.costUsd());
        return new ActionEntry(call.key(), call.role(), call.action(), call.round(), text(step, r), text(outcomeJson(c.outcome()), r), text(usage, r),
                Math.toIntExact(u.calls()));
    }

    static CompletedCall call(ActionEntry entry) {
        String where = "completed call " + entry.key();
        JsonNode step = tree(entry.step(), where);
        JsonNode usage = tree(entry.usage(), where);
        StepCall call = new StepCall(entry.role(), entry.action(), step.path("step").asText(), step.path("index").asInt(),
                ImmutableList.copyOf(strings(step.path("news"))), entry.round());
        if (!call.key().equals(entry.key())) {
            throw new IllegalStateException("the journal's " + where + " does not match its step " + entry.step());
        }
        return new CompletedCall(call, outcome(tree(entry.output(), where)), new Usage(usage.path("calls").asLong(),
                usage.path("inputTokens").asLong(), usage.path("outputTokens").asLong(), usage.path("costUsd").asDouble(), Duration.ZERO));
    }

    /** The field of a call's stored output that holds its failure (role, action, detail) instead of an output. */
    private static final String FAILED = "failed";

    private static JsonNode outcomeJson(CallOutcome outcome) {
        return switch (outcome) {
            case CallOutcome.Output o -> o.value();
            case CallOutcome.Failed f -> {
                ObjectNode failed = Json.MAPPER.createObjectNode();
                failed.putObject(FAILED).put("role", f.role()).put("action", f.action()).put("detail", f.detail());
                yield failed;
            }
        };
    }

    private static CallOutcome outcome(JsonNode stored) {
        JsonNode failed = stored.get(FAILED);
        return failed == null ? new CallOutcome.Output(stored)
                : new CallOutcome.Failed(failed.path("role").asText(), failed.path("action").asText(), failed.path("detail").asText());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A copy of {@code json} with every string value redacted; redacting the JSON text could break its escapes. */
    static JsonNode redacted(JsonNode json, Redactor r) {
        if (json.isTextual()) {
            return TextNode.valueOf(r.redact(json.asText()));
        }
        if (json.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            json.properties().forEach(e -> copy.set(e.getKey(), redacted(e.getValue(), r)));
            return copy;
        }
        if (json.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            json.forEach(n -> copy.add(redacted(n, r)));
            return copy;
        }
        return json;
    }

    private static String text(JsonNode json, Redactor r) {
        try {
            return Json.MAPPER.writeValueAsString(redacted(json, r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for the journal: " + e.getMessage(), e);
        }
    }

    private static JsonNode tree(String text, String what) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the journal's " + what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
