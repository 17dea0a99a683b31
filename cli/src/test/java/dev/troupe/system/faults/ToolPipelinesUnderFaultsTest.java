package dev.troupe.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.planner.PlannerKind;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.system.faults.FaultyToolServer.Fault;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import dev.troupe.tools.http.Observation;
import dev.troupe.tools.http.ObservationKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tool-using pipelines — the built-in {@code reflection-demo} and a weather agent on ReAct and on
 * DFSDT, all on their scripted models — with their tools behind a server that faults 40% of requests:
 * 429 with Retry-After, 500, 503, connection resets before and during the body, read timeouts,
 * truncated bodies and malformed JSON. Retries are the executor's: only idempotent calls, at most
 * {@link ToolRuns#MAX_ATTEMPTS} requests a call; whatever it cannot recover reaches the model as an
 * {@code Error (…)} observation, and the run goes on.
 */
class ToolPipelinesUnderFaultsTest {
    private static final double FAULT_RATE = 0.4;
    private static final String ALERT_SET = "A rain alert is set (AL-1).";
    private static final String NO_ALERT = "The alert API failed twice, so no alert is set";
    private static final Map<String, Totals> TOTALS = new ConcurrentSkipListMap<>();
    private static final Map<Fault, AtomicInteger> TOTAL_FAULTS = new EnumMap<>(Fault.class);

    static {
        for (Fault f : Fault.values()) {
            TOTAL_FAULTS.put(f, new AtomicInteger());
        }
    }

    /** What the runs of one scenario added up to. */
    private static final class Totals {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger faults = new AtomicInteger();
        final AtomicInteger maxAttempts = new AtomicInteger();
        final Map<ObservationKind, Integer> unrecovered = new ConcurrentSkipListMap<>();
    }

    @ParameterizedTest(name = "{0} on {1}, seed {2}")
    @CsvSource({
            "reflection-demo, default, 1", "reflection-demo, default, 2", "reflection-demo, default, 3", "reflection-demo, default, 4",
            "weather-agent, react, 1", "weather-agent, react, 2", "weather-agent, react, 3", "weather-agent, react, 4",
            "weather-agent, dfsdt, 1", "weather-agent, dfsdt, 2", "weather-agent, dfsdt, 3", "weather-agent, dfsdt, 4"})
    void finishesWithTheFaultFreeAnswerInBoundedRetries(String team, String planner, long seed, @TempDir Path ws) {
        TeamDefinition def = team(team);
        // Each request meets at most MAX_ATTEMPTS - 1 faults, so every GET can succeed within its retries.
        ToolRuns.Outcome o = ToolRuns.run(def, b -> b.faultRate(FAULT_RATE).seed(seed).maxFaultsPerCall(ToolRuns.MAX_ATTEMPTS - 1),
                planner(planner), ws);
        report("40% capped", team + "/" + planner, seed, o);

        assertThat(o.result().status()).as("status; error: %s", o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertBoundedAndObserved(o);
        assertWithinBudget(def, o);

        // Retries are the executor's, and only of idempotent calls: each 429 on a GET is followed by a
        // wait of exactly what it asked for; other backoffs stay within the policy's bounds.
        long asked1 = o.exchanges().stream().filter(e -> e.method().equals("GET") && e.retryAfter().equals("1")).count();
        long asked0 = o.exchanges().stream().filter(e -> e.method().equals("GET") && e.retryAfter().equals("0")).count();
        assertThat(o.sleeps().stream().filter(d -> d.equals(Duration.ofSeconds(1))).count()).isEqualTo(asked1);
        assertThat(o.sleeps().stream().filter(Duration::isZero).count()).isEqualTo(asked0);
        assertThat(o.sleeps()).allMatch(d -> d.isZero() || d.equals(Duration.ofSeconds(1)) || d.compareTo(maxBackoff()) <= 0);
        assertThat(o.observations()).filteredOn(ob -> ob.function().startsWith("find") || ob.function().startsWith("getweather"))
                .allSatisfy(ob -> assertThat(ob.kind()).isIn(ObservationKind.OK, ObservationKind.CLIENT_ERROR));

        if (team.equals("reflection-demo")) {
            assertThat(o.answer()).isEqualTo("It is 18 °C with light rain in Paris.");
            // Trial 1's getWeather(city_id=Paris) meets the API's 404: a permanent error that ends its call at once.
            long notFound = o.observations().stream().filter(ob -> ob.status() == 404).count();
            assertThat(notFound).isPositive();
            assertThat(o.exchanges().stream().filter(e -> e.status() == 404 && e.fault().isEmpty()).count()).isEqualTo(notFound);
        } else {
            // The POST is never retried by the executor; the model decides, from the observation, to
            // call it once more or to answer without the alert.
            Observation lastAlert = o.observations().stream().filter(ob -> ob.function().startsWith("createalert")).reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(o.answer()).contains(lastAlert.kind().isSuccess() ? ALERT_SET : NO_ALERT);
        }
    }

    @ParameterizedTest(name = "uncapped faults at 80%, seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void everyUnrecoverableErrorReachesTheModelAsAnObservationAndTheRunFinishes(long seed, @TempDir Path ws) {
        TeamDefinition def = ToolRuns.weatherAgent();
        ToolRuns.Outcome o = ToolRuns.run(def, b -> b.faultRate(0.8).seed(seed), Optional.of(seed % 2 == 0 ? PlannerKind.DFSDT : PlannerKind.REACT), ws);
        report("80% uncapped", "weather-agent/" + (seed % 2 == 0 ? "dfsdt" : "react"), seed, o);

        assertThat(o.result().status()).as("status; error: %s", o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(o.answer()).startsWith("[scripted]");
        assertBoundedAndObserved(o);
        assertWithinBudget(def, o);
    }

    @ParameterizedTest(name = "HTTP {0} on getWeather")
    @ValueSource(ints = {401, 403, 404})
    void aPermanentErrorIsNotRetriedAndReachesTheModelAtOnce(int status, @TempDir Path ws) {
        TeamDefinition def = ToolRuns.weatherAgent();
        ToolRuns.Outcome o = ToolRuns.run(def, b -> b.faultRate(FAULT_RATE).seed(7).maxFaultsPerCall(ToolRuns.MAX_ATTEMPTS - 1)
                .permanent("/weather", status), Optional.of(PlannerKind.REACT), ws);
        report("40% capped, permanent 4xx", "weather-agent/" + status, 7, o);

        assertThat(o.result().status()).as("status; error: %s", o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertBoundedAndObserved(o);
        var weather = o.observations().stream().filter(ob -> ob.function().startsWith("getweather")).toList();
        // The script tries getWeather three times, acting on each error, then answers without it.
        assertThat(weather).hasSize(3).allSatisfy(ob -> {
            assertThat(ob.kind()).isEqualTo(ObservationKind.CLIENT_ERROR);
            assertThat(ob.status()).isEqualTo(status);
            assertThat(ob.attempts()).isEqualTo(1);
            assertThat(ob.text()).contains(status == 404 ? "nothing found there" : "The model cannot fix this: a user must set");
        });
        assertThat(o.exchanges()).filteredOn(e -> e.path().startsWith("/city_weather/weather")).hasSize(3);
        assertThat(o.answer()).contains("the weather API failed three times");
    }

    /** What every run must show, faults or not. */
    private static void assertBoundedAndObserved(ToolRuns.Outcome o) {
        // Every request the server saw is an attempt an executor counted: no hidden retries below it.
        assertThat(o.requestsSeen()).isEqualTo(o.attempts());
        assertThat(o.observations()).allSatisfy(ob -> {
            assertThat(ob.attempts()).isBetween(1, ToolRuns.MAX_ATTEMPTS);
            if (ob.function().startsWith("createalert")) {
                assertThat(ob.attempts()).as("a POST is never retried").isEqualTo(1);
            }
        });
        int retries = o.attempts() - o.observations().size();
        assertThat(o.sleeps()).hasSize(retries);
        assertThat(o.exchanges()).filteredOn(e -> e.method().equals("POST"))
                .hasSize((int) o.observations().stream().filter(ob -> ob.function().startsWith("createalert")).count());

        // The model saw each call's observation: a failed one as an "Error (kind): …" tool result it can act on.
        // (A reflective trial may replay a read-only call from its cached observation, without the executor.)
        assertThat(o.toolCalls().size()).isGreaterThanOrEqualTo(o.observations().size());
        assertThat(o.toolCalls()).allSatisfy(c -> {
            assertThat(c.failed()).isEqualTo(c.result().startsWith("Error ("));
            if (c.failed()) {
                // ToolBench's shape: what went wrong and what to do, then whatever the API said.
                JsonNode observation = Json.MAPPER.readTree(c.result().substring(c.result().indexOf("): ") + 3));
                assertThat(observation.path("error").asText()).isNotBlank();
            }
        });
        assertThat(o.toolCalls().stream().filter(RunEvent.ToolCall::failed).count())
                .isEqualTo(o.observations().stream().filter(ob -> !ob.kind().isSuccess()).count());
    }

    /** The team's budget holds; the weather agent's one action made no more tool calls than it may. */
    private static void assertWithinBudget(TeamDefinition def, ToolRuns.Outcome o) {
        def.budget().ifPresent(b -> assertThat(o.result().totalUsage().totalTokens()).isLessThanOrEqualTo(b.maxTokens()));
        if (def.name().equals("weather-agent")) {
            int maxToolCalls = def.roles().getFirst().actions().getFirst().maxToolCalls();
            assertThat(o.toolCalls().size()).isLessThanOrEqualTo(maxToolCalls);
        }
    }

    private static TeamDefinition team(String name) {
        return name.equals("weather-agent") ? ToolRuns.weatherAgent() : TeamLoader.builtin(name);
    }

    private static Optional<PlannerKind> planner(String name) {
        return switch (name) {
            case "react" -> Optional.of(PlannerKind.REACT);
            case "dfsdt" -> Optional.of(PlannerKind.DFSDT);
            default -> Optional.empty();
        };
    }

    /** The longest backoff of the executor's policy: the initial one doubled per retry, plus a quarter of jitter. */
    private static Duration maxBackoff() {
        long base = ToolRuns.BACKOFF.toMillis() << (ToolRuns.MAX_ATTEMPTS - 2);
        return Duration.ofMillis(base + base / 4);
    }

    private static void report(String scenario, String what, long seed, ToolRuns.Outcome o) {
        int maxAttempts = o.observations().stream().mapToInt(Observation::attempts).max().orElse(0);
        System.out.printf("[tool-faults] %-26s seed %d: %s, calls=%d, retries=%d, max attempts of one call=%d, status=%s, %d ms%n",
                what, seed, o.servers().stream().map(FaultyToolServer::summary).toList(), o.observations().size(),
                o.attempts() - o.observations().size(), maxAttempts, o.result().status(), o.result().wallTime().toMillis());
        o.servers().forEach(s -> s.draws().injected().forEach((k, v) -> TOTAL_FAULTS.get(k).addAndGet(v)));
        Totals t = TOTALS.computeIfAbsent(scenario, k -> new Totals());
        t.runs.incrementAndGet();
        t.requests.addAndGet(o.requestsSeen());
        t.calls.addAndGet(o.observations().size());
        t.faults.addAndGet(o.servers().stream().mapToInt(s -> s.draws().faults()).sum());
        t.maxAttempts.accumulateAndGet(maxAttempts, Math::max);
        o.observations().stream().filter(ob -> !ob.kind().isSuccess()).forEach(ob -> t.unrecovered.merge(ob.kind(), 1, Integer::sum));
    }

    @AfterAll
    static void printTotalsAndCheckEveryKindWasInjected() {
        TOTALS.forEach((scenario, t) -> System.out.printf("[tool-faults] TOTAL %s, %d runs: requests=%d, tool calls=%d, retries=%d,"
                        + " faults=%d (%.1f%% of requests), max attempts of one call=%d, errors the model saw=%s%n",
                scenario, t.runs.get(), t.requests.get(), t.calls.get(), t.requests.get() - t.calls.get(), t.faults.get(),
                t.requests.get() == 0 ? 0.0 : 100.0 * t.faults.get() / t.requests.get(), t.maxAttempts.get(), t.unrecovered));
        System.out.printf("[tool-faults] TOTAL faults injected by kind: %s%n", TOTAL_FAULTS);
        if (TOTALS.values().stream().mapToInt(t -> t.runs.get()).sum() >= 12) {
            assertThat(TOTAL_FAULTS).as("every kind of fault was injected at least once").allSatisfy((k, v) -> assertThat(v.get()).isPositive());
        }
    }
}
