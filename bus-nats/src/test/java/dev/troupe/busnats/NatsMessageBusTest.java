package dev.troupe.busnats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.message.Message;
import dev.troupe.agents.message.MessageFilter;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the NATS bus adds to the bus contract: de-duplication, several processes, and a clear error without a server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NatsMessageBusTest {
    private TeamStream stream;

    @BeforeEach
    void openStream() {
        LocalNats.assumeAvailable();
        stream = TeamStream.open(LocalNats.isolatedSettings(), "demo");
    }

    @AfterEach
    void deleteStream() {
        if (stream != null) {
            stream.delete();
            stream.close();
        }
    }

    @Test
    void republishedMessageIdIsStoredAndDeliveredOnce() {
        String run = "run-" + UUID.randomUUID();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (NatsMessageBus bus = NatsMessageBus.on(stream)) {
            bus.subscribe(MessageFilter.allOf(run), m -> seen.add(m.id()));
            Message m = Message.builder().runId(run).content("once").build();
            bus.publish(m);
            bus.publish(m);
            bus.publish(m.newBuilder().content("a changed copy under the same id").build());
            Message last = Message.builder().runId(run).causeBy("Done").build();
            bus.publish(last);   // publish returns once local subscribers have it

            assertThat(seen).containsExactly(m.id(), last.id());
            assertThat(bus.history(run)).containsExactly(m, last);
        }
    }

    @Test
    void busesOnSeparateConnectionsSeeEachOthersMessages() throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (NatsMessageBus here = NatsMessageBus.on(stream);
             NatsMessageBus there = NatsMessageBus.connect(stream.settings(), "demo")) {
            List<Message> seen = Collections.synchronizedList(new ArrayList<>());
            here.subscribe(MessageFilter.forRole(run, "Bob", List.of("WritePRD")), seen::add);
            Message prd = Message.builder().runId(run).sender("Alice").causeBy("WritePRD").content("PRD").build();
            there.publish(prd);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(seen).containsExactly(prd);
            assertThat(here.history(run)).containsExactly(prd);
        }
    }

    @Test
    void teamRunsUnchangedOnTheNatsBus() {
        TeamDefinition def = TeamLoader.builtin("demo");
        ModelResolver noEnv = ModelResolver.withEnv(Map.of());
        ModelBackend offline = def.resolve(def.offlineModel().orElseThrow(), noEnv);
        RunResult inMemory = def.toBuilder(offline, noEnv).build().run(def.idea().orElseThrow());
        RunResult onNats = def.toBuilder(offline, noEnv).bus(() -> NatsMessageBus.on(stream)).build().run(def.idea().orElseThrow());

        assertThat(onNats.status()).as("error: %s", onNats.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(onNats.documents().keySet()).containsExactlyInAnyOrderElementsOf(inMemory.documents().keySet());
        for (String action : inMemory.documents().keySet()) {
            assertThat(onNats.documents().get(action)).extracting(Message::content)
                    .containsExactlyElementsOf(inMemory.documents().get(action).stream().map(Message::content).toList());
        }
        assertThat(stream.read(stream.subjects().messagesOf(onNats.runId()), 1)).hasSize(onNats.messages().size());
    }
}
