package dev.troupe.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.troupe.agents.team.RunStatus;
import dev.troupe.roles.TeamDefinition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rejected key (401) or an unknown model (404 model_not_found) is not retried: the run stops at
 * its first request, FAILED, with a message that names the cause and what to change. The server
 * would fault 40% of other requests, but like OpenAI it checks the key and the model first. A key
 * revoked in the middle of a faulty run stops it at the next request just the same.
 */
class PermanentModelErrorsTest {
    private static final double FAULT_RATE = 0.4;

    @ParameterizedTest
    @ValueSource(strings = {"demo", "research-report", "software-company"})
    void rejectedKeyStopsTheRunAtTheFirstRequestNamingTheVariableToCheck(String name, @TempDir Path ws) throws IOException {
        TeamDefinition def = TeamRuns.team(name);
        try (FaultyOpenAiServer server = FaultyOpenAiServer.builder(def).faultRate(FAULT_RATE).seed(7).start()) {
            TeamRuns.Outcome o = TeamRuns.run(def, server, TeamRuns.MODEL, "sk-revoked-0123456789", Optional.empty(), ws);
            System.out.printf("[faults] 401 %-16s: requests=%d, status=%s, %d ms, error: %s%n", name, server.requests(),
                    o.result().status(), o.result().wallTime().toMillis(), o.result().error().orElse(""));

            assertStoppedAtOnce(server, o);
            assertThat(o.result().error()).hasValueSatisfying(e -> assertThat(e)
                    .contains("rejected the credentials (HTTP 401)")
                    .contains("Check OPENAI_API_KEY")
                    .contains("openai:" + TeamRuns.MODEL)
                    .doesNotContain("sk-revoked-0123456789"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "research-report", "software-company"})
    void unknownModelStopsTheRunAtTheFirstRequestNamingTheSpecToFix(String name, @TempDir Path ws) throws IOException {
        TeamDefinition def = TeamRuns.team(name);
        try (FaultyOpenAiServer server = FaultyOpenAiServer.builder(def).faultRate(FAULT_RATE).seed(7).start()) {
            TeamRuns.Outcome o = TeamRuns.run(def, server, "gpt-4o-mini-typo", TeamRuns.KEY, Optional.empty(), ws);
            System.out.printf("[faults] 404 %-16s: requests=%d, status=%s, %d ms, error: %s%n", name, server.requests(),
                    o.result().status(), o.result().wallTime().toMillis(), o.result().error().orElse(""));

            assertStoppedAtOnce(server, o);
            assertThat(o.result().error()).hasValueSatisfying(e -> assertThat(e)
                    .contains("does not know this model (HTTP 404)")
                    .contains("openai:gpt-4o-mini-typo")
                    .contains("Check the model name"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"research-report", "software-company"})
    void keyRevokedMidRunStopsItAtTheNextRequestAmidTransientFaults(String name, @TempDir Path ws) throws IOException {
        assumeTrue(!name.equals("software-company") || TeamRuns.hasPython(), "software-company runs its tests with python3");
        TeamDefinition def = TeamRuns.team(name);
        try (FaultyOpenAiServer server = FaultyOpenAiServer.builder(def).faultRate(FAULT_RATE).seed(2)
                .maxFaultsPerCall(TeamRuns.RETRIES.maxAttempts() - 1).revokeKeyAfter(2).start()) {
            TeamRuns.Outcome o = TeamRuns.run(def, server, ws);
            System.out.printf("[faults] 401 after 2 answers %-16s: %s, status=%s, error: %s%n", name, server.summary(),
                    o.result().status(), o.result().error().orElse("").lines().findFirst().orElse(""));

            assertThat(o.result().status()).isEqualTo(RunStatus.FAILED);
            assertThat(server.unauthorized()).isEqualTo(1);
            assertThat(server.requests()).isEqualTo(server.exchanges().size() + 1);
            assertThat(o.result().documents().size()).isEqualTo(2);
            assertThat(o.result().error()).hasValueSatisfying(e -> assertThat(e)
                    .contains("rejected the credentials (HTTP 401)").contains("Check OPENAI_API_KEY"));
        }
    }

    private static void assertStoppedAtOnce(FaultyOpenAiServer server, TeamRuns.Outcome o) {
        assertThat(o.result().status()).isEqualTo(RunStatus.FAILED);
        assertThat(server.requests()).isEqualTo(1);
        assertThat(o.sleeps()).isEmpty();
        assertThat(o.calls()).singleElement().satisfies(c -> assertThat(c.error()).isPresent());
        assertThat(o.result().documents().isEmpty()).isTrue();
        assertThat(o.result().totalUsage().costUsd()).isZero();
    }
}
