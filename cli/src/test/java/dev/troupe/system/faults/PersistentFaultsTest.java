package dev.troupe.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.team.RunStatus;
import dev.troupe.system.faults.FaultyOpenAiServer.Fault;
import dev.troupe.roles.TeamDefinition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server that faults every request, with no cap per call: each kind is classified as retriable,
 * retried exactly up to the policy's attempts, and then fails the run with a message naming the
 * call and the cause; schema-breaking outputs are re-asked exactly up to the action's repairs.
 */
class PersistentFaultsTest {
    /** How ModelErrors words each fault: what the user reads first. */
    private static final Map<Fault, String> CLASSIFIED_AS = Map.of(
            Fault.RATE_LIMIT_429, "Rate limited (HTTP 429)",
            Fault.SERVER_ERROR_500, "Model server error (HTTP 500)",
            Fault.UNAVAILABLE_503, "Model server error (HTTP 503)",
            Fault.DISCONNECT_BEFORE_RESPONSE, "Connection to the model failed",
            Fault.DISCONNECT_DURING_BODY, "Connection to the model failed",
            Fault.READ_TIMEOUT, "Model call timed out",
            Fault.TRUNCATED_BODY, "The model's response could not be parsed");

    private final TeamDefinition demo = TeamRuns.team("demo");

    @ParameterizedTest
    @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "SCHEMA_BREAKING")
    void persistentTransportFaultIsRetriedExactlyMaxAttemptsTimesThenFailsTheRun(Fault kind, @TempDir Path ws) throws IOException {
        int maxAttempts = TeamRuns.RETRIES.maxAttempts();
        try (FaultyOpenAiServer server = FaultyOpenAiServer.builder(demo).faultRate(1.0).kinds(Set.of(kind)).start()) {
            TeamRuns.Outcome o = TeamRuns.run(demo, server, ws);
            System.out.printf("[faults] persistent %-17s: %s, status=%s, %d ms, error: %s%n", kind, server.summary(),
                    o.result().status(), o.result().wallTime().toMillis(), o.result().error().orElse(""));

            assertThat(o.result().status()).isEqualTo(RunStatus.FAILED);
            assertThat(server.requests()).isEqualTo(maxAttempts);
            assertThat(server.injected().get(kind)).isEqualTo(maxAttempts);
            assertThat(o.sleeps()).hasSize(maxAttempts - 1);
            assertThat(o.result().documents().isEmpty()).isTrue();
            assertThat(o.result().error()).hasValueSatisfying(e -> assertThat(e)
                    .startsWith(CLASSIFIED_AS.get(kind))
                    .contains("openai:" + TeamRuns.MODEL)
                    .contains("role 'Alice', action 'WritePRD'")
                    .contains("gave up after " + maxAttempts + " attempts"));
        }
    }

    @Test
    void schemaBreakingOutputsAreReAskedUpToMaxRepairsThenFailTheActionShowingTheLastOutput(@TempDir Path ws) throws IOException {
        int maxRepairs = demo.roles().getFirst().actions().getFirst().maxRepairs();
        try (FaultyOpenAiServer server = FaultyOpenAiServer.builder(demo).faultRate(1.0).kinds(Set.of(Fault.SCHEMA_BREAKING))
                .withinRepairBudget(false).start()) {
            TeamRuns.Outcome o = TeamRuns.run(demo, server, ws);
            System.out.printf("[faults] persistent SCHEMA_BREAKING  : %s, status=%s, error: %s%n", server.summary(),
                    o.result().status(), o.result().error().orElse("").lines().findFirst().orElse(""));

            assertThat(o.result().status()).isEqualTo(RunStatus.FAILED);
            assertThat(server.requests()).isEqualTo(maxRepairs + 1);
            assertThat(o.calls()).extracting(c -> c.step())
                    .containsExactlyElementsOf(IntStream.rangeClosed(0, maxRepairs).boxed().toList());
            assertThat(o.sleeps()).isEmpty();
            assertThat(o.result().error()).hasValueSatisfying(e -> assertThat(e)
                    .contains("Alice").contains("WritePRD")
                    .contains("no valid output after " + (maxRepairs + 1) + " attempts")
                    .contains("Last output"));
            // Answers that did arrive are paid for, even when they were useless.
            assertThat(o.result().totalUsage().calls()).isEqualTo(maxRepairs + 1);
            assertThat(o.result().totalUsage().costUsd()).isPositive();
        }
    }
}
