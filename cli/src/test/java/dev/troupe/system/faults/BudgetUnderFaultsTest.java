package dev.troupe.system.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.system.faults.FaultyOpenAiServer.Exchange;
import dev.troupe.roles.TeamDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A USD budget for gpt-4o-mini holds while the server faults 40% of requests: the run ends
 * BUDGET_EXCEEDED, over the budget by no more than the calls in flight when it was crossed (one
 * for a sequential pipeline, two for demo's Bob and Eve), and sends no request for a new call once
 * the budget is spent.
 */
class BudgetUnderFaultsTest {
    private static final double FAULT_RATE = 0.4;
    /** How many calls a team can have in flight at once. */
    private static final Map<String, Integer> WIDTH = Map.of("demo", 2, "research-report", 1, "software-company", 1);
    private static final Map<String, Double> FAULT_FREE_COST = new ConcurrentHashMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"demo", "research-report", "software-company"})
    void budgetHalfTheRunsCostEndsItWithinTheCallsInFlight(String name, @TempDir Path ws) throws IOException {
        assumeTrue(!name.equals("software-company") || TeamRuns.hasPython(), "software-company runs its tests with python3");
        TeamDefinition def = TeamRuns.team(name);
        double budget = faultFreeCost(def) / 2;
        try (FaultyOpenAiServer server = faulty(def, 11)) {
            TeamRuns.Outcome o = TeamRuns.run(def, server, TeamRuns.MODEL, TeamRuns.KEY, Optional.of(Budget.usd(budget)), ws);
            ImmutableList<Exchange> exchanges = server.exchanges();
            double maxCall = exchanges.stream().mapToDouble(TeamRuns::cost).max().orElse(0);
            double spent = o.result().totalUsage().costUsd();
            System.out.printf("[faults] budget %-16s: budget=$%.8f spent=$%.8f (%.0f%%) max call=$%.8f, %s, status=%s%n", name,
                    budget, spent, 100 * spent / budget, maxCall, server.summary(), o.result().status());

            assertThat(o.result().status()).as("error: %s", o.result().error().orElse("")).isEqualTo(RunStatus.BUDGET_EXCEEDED);
            assertThat(o.result().error()).hasValueSatisfying(e -> assertThat(e).contains("Budget exhausted before").contains("Raise the budget"));
            assertThat(spent).isGreaterThanOrEqualTo(budget).isLessThanOrEqualTo(budget + WIDTH.get(name) * maxCall);
            assertThat(spent).isCloseTo(exchanges.stream().mapToDouble(TeamRuns::cost).sum(), within(1e-12));

            // Once the server has billed past the budget, the only new gateway calls that reach it are those the
            // gateway admitted before it booked the crossing answer: at most the team's other calls in flight.
            // Retries of admitted calls may go on; a new call, a re-ask included, is refused before the network.
            int crossing = crossing(exchanges, budget);
            Set<String> before = exchanges.subList(0, crossing + 1).stream().map(Exchange::call).collect(Collectors.toSet());
            Set<String> after = exchanges.subList(crossing + 1, exchanges.size()).stream().map(Exchange::call)
                    .filter(c -> !before.contains(c)).collect(Collectors.toSet());
            assertThat(after).hasSizeLessThanOrEqualTo(WIDTH.get(name) - 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "research-report", "software-company"})
    void budgetBelowOneCallEndsTheRunAfterItsFirstCall(String name, @TempDir Path ws) throws IOException {
        TeamDefinition def = TeamRuns.team(name);
        try (FaultyOpenAiServer server = faulty(def, 12)) {
            TeamRuns.Outcome o = TeamRuns.run(def, server, TeamRuns.MODEL, TeamRuns.KEY, Optional.of(Budget.usd(1e-7)), ws);
            ImmutableList<Exchange> exchanges = server.exchanges();
            System.out.printf("[faults] tiny budget %-16s: %s, status=%s, error: %s%n", name, server.summary(),
                    o.result().status(), o.result().error().orElse(""));

            assertThat(o.result().status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
            assertThat(exchanges).extracting(Exchange::call).containsOnly(exchanges.getFirst().call());
            assertThat(exchanges).filteredOn(Exchange::billed).hasSize(1);
            assertThat(o.result().totalUsage().calls()).isEqualTo(1);
        }
    }

    private static FaultyOpenAiServer faulty(TeamDefinition def, long seed) throws IOException {
        return FaultyOpenAiServer.builder(def).faultRate(FAULT_RATE).seed(seed)
                .maxFaultsPerCall(TeamRuns.RETRIES.maxAttempts() - 1).start();
    }

    /** The index of the exchange that took the billed total to the budget or past it. */
    private static int crossing(ImmutableList<Exchange> exchanges, double budget) {
        double total = 0;
        for (int i = 0; i < exchanges.size(); i++) {
            total += TeamRuns.cost(exchanges.get(i));
            if (total >= budget) {
                return i;
            }
        }
        throw new AssertionError("the server never billed up to the budget of $" + budget + " (billed $" + total + ")");
    }

    private static double faultFreeCost(TeamDefinition def) throws IOException {
        Double cost = FAULT_FREE_COST.get(def.name());
        if (cost == null) {
            try (FaultyOpenAiServer server = FaultyOpenAiServer.builder(def).start()) {
                TeamRuns.Outcome o = TeamRuns.run(def, server, Files.createTempDirectory("troupe-faults-budget-"));
                assertThat(o.result().status()).as("the fault-free run; error: %s", o.result().error().orElse(""))
                        .isEqualTo(RunStatus.SUCCEEDED);
                cost = o.result().totalUsage().costUsd();
                FAULT_FREE_COST.put(def.name(), cost);
            }
        }
        return cost;
    }
}
