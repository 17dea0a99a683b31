package dev.troupe.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.system.faults.FaultyOpenAiServer.Fault;
import dev.troupe.roles.TeamDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The built-in pipelines against an OpenAI-compatible server that faults 40% of requests: 429 with
 * Retry-After, 500, 503, connection resets, read timeouts, truncated bodies and schema-breaking
 * outputs. Each call meets at most {@code maxAttempts - 1} transport faults in a row, so a run can
 * always succeed; whether it does, and at what cost in requests, is what is tested.
 */
class BuiltinPipelinesUnderFaultsTest {
    private static final double FAULT_RATE = 0.4;
    private static final Set<String> REFLECTIVE_STEPS = Set.of("_stage", "_reflect");
    private static final Map<String, ImmutableList<String>> REFERENCE = new ConcurrentHashMap<>();
    private static final Map<Fault, AtomicInteger> TOTAL_FAULTS = new EnumMap<>(Fault.class);
    private static final AtomicInteger TOTAL_REQUESTS = new AtomicInteger();
    private static final AtomicInteger TOTAL_CALLS = new AtomicInteger();
    private static final AtomicInteger TOTAL_SPARED = new AtomicInteger();
    private static final AtomicInteger RUNS = new AtomicInteger();

    static {
        for (Fault f : Fault.values()) {
            TOTAL_FAULTS.put(f, new AtomicInteger());
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({
            "demo, 1", "demo, 2", "demo, 3", "demo, 4",
            "research-report, 1", "research-report, 2", "research-report, 3", "research-report, 4",
            "software-company, 1", "software-company, 2", "software-company, 3", "software-company, 4"})
    void finishesWithTheFaultFreeDocumentsInBoundedRetries(String name, long seed, @TempDir Path workspace) throws IOException {
        assumeTrue(!name.equals("software-company") || TeamRuns.hasPython(), "software-company runs its tests with python3");
        TeamDefinition def = TeamRuns.team(name);
        int maxAttempts = TeamRuns.RETRIES.maxAttempts();

        TeamRuns.Outcome o;
        FaultyOpenAiServer server;
        try (FaultyOpenAiServer s = FaultyOpenAiServer.builder(def).faultRate(FAULT_RATE).seed(seed)
                .maxFaultsPerCall(maxAttempts - 1).start()) {
            server = s;
            o = TeamRuns.run(def, s, workspace);
        }
        report(name, seed, server, o);

        assertThat(server.problems()).as("requests the server could not map onto the team").isEmpty();
        assertThat(o.result().status()).as("status; error: %s", o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(TeamRuns.documents(o.result())).isEqualTo(reference(def));

        // Retries stay bounded: no call took more than maxAttempts requests, and every request the
        // server saw is an attempt the gateway counted (no hidden retries below it).
        assertThat(o.calls()).allSatisfy(c -> {
            assertThat(c.error()).isEmpty();
            assertThat(c.attempts()).isBetween(1, maxAttempts);
        });
        assertThat(server.requests()).isEqualTo(o.attempts()).isLessThanOrEqualTo(o.calls().size() * maxAttempts);
        int retries = server.requests() - o.calls().size();
        assertThat(o.sleeps()).hasSize(retries);

        // Retry-After is honoured: each 429 is followed by a wait of exactly what it asked for; other
        // backoffs stay within the policy's maximum.
        Map<String, Integer> asked = server.retryAfterSeconds();
        assertThat(o.sleeps().stream().filter(d -> d.equals(Duration.ofSeconds(1))).count()).isEqualTo((long) asked.getOrDefault("1", 0));
        assertThat(o.sleeps().stream().filter(Duration::isZero).count()).isEqualTo((long) asked.getOrDefault("0", 0));
        assertThat(o.sleeps()).allMatch(d -> d.isZero() || d.equals(Duration.ofSeconds(1)) || d.compareTo(Duration.ofMillis(50)) <= 0);

        // Every schema-breaking output was re-asked once, as a later call of the same action. A
        // reflective action's internal steps (_stage, _reflect) number every call they make, so only
        // the other actions' later calls are re-asks; the server breaks no schema there (their prompts
        // carry no output format).
        assertThat(o.calls().stream().filter(c -> c.step() > 0 && !REFLECTIVE_STEPS.contains(c.action())).count()).isEqualTo((long) server.injected().get(Fault.SCHEMA_BREAKING));

        // The budget books exactly what the server billed (schema-breaking answers included).
        double billed = server.exchanges().stream().mapToDouble(TeamRuns::cost).sum();
        assertThat(o.result().totalUsage().costUsd()).isCloseTo(billed, within(1e-12));
        assertThat(o.result().totalUsage().calls()).isEqualTo(o.calls().size());
    }

    private static ImmutableList<String> reference(TeamDefinition def) throws IOException {
        ImmutableList<String> docs = REFERENCE.get(def.name());
        if (docs == null) {
            Path ws = Files.createTempDirectory("troupe-faults-reference-");
            var r = TeamRuns.offline(def, ws);
            assertThat(r.status()).as("the fault-free reference run; error: %s", r.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            docs = TeamRuns.documents(r);
            REFERENCE.put(def.name(), docs);
        }
        return docs;
    }

    private static void report(String team, long seed, FaultyOpenAiServer server, TeamRuns.Outcome o) {
        int maxAttemptsSeen = o.calls().stream().mapToInt(RunEvent.ModelCall::attempts).max().orElse(0);
        System.out.printf("[faults] %-16s seed %d: %s, calls=%d, retries=%d, max attempts of one call=%d, status=%s, %d ms%n",
                team, seed, server.summary(), o.calls().size(), server.requests() - o.calls().size(), maxAttemptsSeen,
                o.result().status(), o.result().wallTime().toMillis());
        server.injected().forEach((k, v) -> TOTAL_FAULTS.get(k).addAndGet(v));
        TOTAL_REQUESTS.addAndGet(server.requests());
        TOTAL_CALLS.addAndGet(o.calls().size());
        TOTAL_SPARED.addAndGet(server.spared());
        RUNS.incrementAndGet();
    }

    @AfterAll
    static void printTotalsAndCheckEveryKindWasInjected() {
        int faults = TOTAL_FAULTS.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.printf("[faults] TOTAL over %d runs at a %.0f%% fault rate: requests=%d, calls=%d, retries=%d,"
                        + " faults=%d (%.1f%% of requests) %s, spared by the per-call cap=%d%n",
                RUNS.get(), FAULT_RATE * 100, TOTAL_REQUESTS.get(), TOTAL_CALLS.get(), TOTAL_REQUESTS.get() - TOTAL_CALLS.get(),
                faults, TOTAL_REQUESTS.get() == 0 ? 0.0 : 100.0 * faults / TOTAL_REQUESTS.get(), TOTAL_FAULTS, TOTAL_SPARED.get());
        if (RUNS.get() >= 8) {
            assertThat(TOTAL_FAULTS).as("every kind of fault was injected at least once").allSatisfy((k, v) -> assertThat(v.get()).isPositive());
        }
    }
}
