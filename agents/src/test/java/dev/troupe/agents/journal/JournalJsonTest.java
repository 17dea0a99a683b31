package dev.troupe.agents.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.role.StepCall;
import dev.troupe.agents.team.CompletedCall;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.core.security.Redactor;
import dev.troupe.memory.journal.ActionEntry;
import dev.troupe.memory.journal.MessageEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the journal stores for messages and completed calls, and that it reads back the same values. */
class JournalJsonTest {

    @Test
    void aMessageWithEveryFieldReadsBackEqual() {
        Message m = Message.builder().id("m-1").runId("run-1").round(3).sender("Alice").sendTo(List.of("Bob", "Eve"))
                .causeBy("WritePRD").content("line one\n\"quoted\" \\ backslash — ünïcode")
                .payload(Fakes.json("{\"title\": \"Snake\", \"n\": 1.5, \"big\": 12345678901234, \"list\": [null, true, {}]}"))
                .parents(List.of("p-1", "p-2")).model("scripted:script.yaml").createdAt(Instant.parse("2025-05-06T07:08:09.123456Z"))
                .build();

        MessageEntry entry = JournalJson.entry(m, Redactor.none());

        assertThat(JournalJson.message(entry)).isEqualTo(m);
        assertThat(entry.messageId()).isEqualTo("m-1");
        assertThat(entry.sender()).isEqualTo("Alice");
        assertThat(entry.causeBy()).isEqualTo("WritePRD");
        assertThat(entry.round()).isEqualTo(3);
    }

    @Test
    void aBareMessageReadsBackWithoutPayloadOrModel() {
        Message m = Message.builder().runId("run-1").content("the requirement").build();

        Message back = JournalJson.message(JournalJson.entry(m, Redactor.none()));

        assertThat(back).isEqualTo(m);
        assertThat(back.payload()).isEmpty();
        assertThat(back.model()).isEmpty();
        assertThat(back.isBroadcast()).isTrue();
    }

    @Test
    void aCompletedCallReadsBackEqualAndItsKeyIsChecked() {
        StepCall call = new StepCall("Wren", "_think", "abc123", 2, ImmutableList.of("m-1", "m-2"), 5);
        CompletedCall c = new CompletedCall(call, Fakes.json("{\"content\": \"x\", \"payload\": {\"next\": \"STOP\"}, \"synthetic\": true}"),
                new Usage(2, 120, 30, 0.0125, Duration.ZERO));

        ActionEntry entry = JournalJson.entry(c, Redactor.none());

        assertThat(entry.key()).isEqualTo("abc123/2/_think");
        assertThat(entry.modelCalls()).isEqualTo(2);
        assertThat(entry.round()).isEqualTo(5);
        assertThat(JournalJson.call(entry)).isEqualTo(c);
    }

    @Test
    void secretsAreMaskedInEveryStoredStringAndTheJsonStaysValid() throws Exception {
        String secret = "sk-journal-secret-0123456789";
        Redactor redactor = Redactor.of(Map.of("OPENAI_API_KEY", secret), List.of());
        Message m = Message.builder().runId("run-1").sender("Echo").causeBy("Answer")
                .content("key " + secret + " and \"Authorization\": \"Bearer " + secret + "\\\" tail")
                .payload(Fakes.json("{\"echo\": \"" + secret + "\", \"headers\": {\"authorization\": \"token abc\\\\\\\"def\"}}"))
                .build();

        MessageEntry entry = JournalJson.entry(m, redactor);

        assertThat(entry.json()).doesNotContain(secret).contains(Redactor.MASK);
        Message back = JournalJson.message(entry);
        assertThat(back.content()).startsWith("key [redacted] and").doesNotContain(secret);
        assertThat(Json.MAPPER.readTree(entry.json()).path("payload").path("echo").asText()).isEqualTo(Redactor.MASK);
    }
}
