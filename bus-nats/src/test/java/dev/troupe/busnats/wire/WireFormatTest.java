package dev.troupe.busnats.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.agents.error.TroupeException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Messages and control records survive the wire unchanged, and what is not ours is refused by name. */
class WireFormatTest {
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456789Z");

    private static Message full() throws Exception {
        return Message.builder().runId("run-1").round(3).sender("Edward").sendTo(List.of("Alex", "Bob")).causeBy("RunTests")
                .content("$ python3 -m unittest\nFAILED ✗").payload(Json.MAPPER.readTree("{\"passed\": false, \"exitCode\": 1, \"n\": null}"))
                .parents(List.of("p1", "p2")).model("scripted:script.yaml").createdAt(AT).build();
    }

    @Test
    void messageWithEveryFieldRoundTrips() throws Exception {
        Message m = full();
        assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void messageWithoutPayloadModelOrAddresseesRoundTrips() {
        Message m = Message.builder().runId("run-1").content("A snake game").createdAt(AT).build();
        Message back = MessageCodec.decode(MessageCodec.encode(m));
        assertThat(back).isEqualTo(m);
        assertThat(back.payload()).isEmpty();
        assertThat(back.model()).isEmpty();
        assertThat(back.sendTo()).isEmpty();
    }

    @Test
    void recordThatIsNotAMessageIsRefusedShowingItsStart() {
        assertThatThrownBy(() -> MessageCodec.decode("{\"hello\": 1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TroupeException.class).hasMessageContaining("Not a Troupe message").hasMessageContaining("hello");
        assertThatThrownBy(() -> MessageCodec.decode("{\"v\": 99, \"id\": \"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TroupeException.class).hasMessageContaining("version 99");
    }

    @Test
    void everyControlRecordRoundTrips() throws Exception {
        Usage u = new Usage(2, 300, 40, 0.0125, Duration.ofMillis(1500));
        List<ControlRecord> records = List.of(
                new ControlRecord.RunOpened("run-1", "software-company", "A snake game", 30, Optional.of(3.0), Optional.empty(),
                        AT.plusSeconds(1800), Optional.of("/tmp/ws"), AT),
                new ControlRecord.StepDone("run-1", "m-1", "Bob", "Bob@1/1", 2, ControlRecord.Outcome.FAILED,
                        Optional.of("Role 'Bob', action 'WriteDesign': bad"), List.of("o-1", "o-2"),
                        Map.of("Bob", Map.of("WriteDesign", u)), AT),
                new ControlRecord.Forwarded("run-1", new RunEvent.ActionFinished("run-1", AT, "Bob", "WriteDesign", 2, full(),
                        Duration.ofMillis(1234))),
                new ControlRecord.Forwarded("run-1", new RunEvent.ModelCall("run-1", AT, "Bob", "WriteDesign", 0, "scripted:x",
                        true, 10, 20, 0.0, Duration.ofMillis(5), 1, Optional.of("timeout"))),
                new ControlRecord.RunClosed("run-1", "SUCCEEDED", Optional.empty(), AT));
        for (ControlRecord r : records) {
            assertThat(ControlCodec.decode(ControlCodec.encode(r))).isEqualTo(r);
        }
    }

    @Test
    void unknownControlRecordTypeIsRefusedByName() {
        assertThatThrownBy(() -> ControlCodec.decode("{\"v\": 1, \"type\": \"Gossip\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TroupeException.class).hasMessageContaining("Gossip");
    }
}
