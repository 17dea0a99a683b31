package dev.troupe.agents.model;

import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.internal.UsageLedger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.BudgetExceededException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BudgetTest {
    /** $1,000 per million tokens in and out: 10,000 + 10,000 tokens cost $20. */
    private static final PriceTable PRICES = PriceTable.empty().with("fake", 1000, 1000);

    private final AtomicInteger calls = new AtomicInteger();

    private ModelBackend expensive(int in, int out) {
        return Fakes.backend("fake", r -> {
            calls.incrementAndGet();
            return Fakes.reply("output of " + r.action(), in, out);
        });
    }

    private static Team.Builder chainOfThree(ModelBackend model) {
        return Team.builder("spenders")
                .role(Role.builder("Alice").watch(Message.USER_REQUIREMENT).actions(Action.text("Write", "Write {{requirement}}")).build())
                .role(Role.builder("Bob").watch("Write").actions(Action.text("Review", "Review {{Write}}")).build())
                .role(Role.builder("Carol").watch("Review").actions(Action.text("Ship", "Ship {{Review}}")).build())
                .model(model)
                .prices(PRICES)
                .retryPolicy(RetryPolicy.none());
    }

    @Test
    void runEndsBudgetExceededAndNoCallStartsAfterTheBudgetIsSpent() {
        List<RunEvent.ModelCall> modelCalls = new CopyOnWriteArrayList<>();
        RunResult result = chainOfThree(expensive(10_000, 10_000))
                .budget(Budget.usd(0.01))
                .listener(new RunListener() {
                    @Override
                    public void onModelCall(RunEvent.ModelCall e) {
                        modelCalls.add(e);
                    }
                })
                .build()
                .run("a blog post");

        assertThat(result.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(calls).hasValue(1);
        assertThat(result.error()).get().asString()
                .contains("Budget exhausted before role 'Bob', action 'Review'")
                .contains("$20.000000 of a $0.010000 budget");
        assertThat(result.document("Write")).isPresent();
        assertThat(result.document("Review")).isEmpty();
        assertThat(result.totalUsage().calls()).isEqualTo(1);
        assertThat(result.totalUsage().inputTokens()).isEqualTo(10_000);
        assertThat(result.totalUsage().outputTokens()).isEqualTo(10_000);
        assertThat(result.totalUsage().costUsd()).isCloseTo(20.0, within(1e-9));
        assertThat(result.usage().get("Alice").get("Write").costUsd()).isCloseTo(20.0, within(1e-9));
        assertThat(result.usageByRole()).doesNotContainKey("Carol");
        assertThat(modelCalls).hasSize(2);
        assertThat(modelCalls.get(0).costUsd()).isCloseTo(20.0, within(1e-9));
        assertThat(modelCalls.get(1).error()).get().asString().contains("Budget exhausted");
    }

    @Test
    void budgetIsCheckedBeforeEveryCallWithinOneAction() {
        Team team = Team.builder("t")
                .role(Role.builder("Alice").watch(Message.USER_REQUIREMENT)
                        .actions(Action.structured("Spec", "Spec {{requirement}}", Fakes.json("{\"type\": \"object\"}")))
                        .build())
                .model(expensive(10_000, 10_000))
                .prices(PRICES)
                .budget(Budget.usd(0.01))
                .build();

        RunResult result = team.run("x");

        // The first answer is no JSON; the repair call would start after the budget is spent.
        assertThat(result.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(calls).hasValue(1);
        assertThat(result.error()).get().asString().contains("role 'Alice', action 'Spec', call 1");
    }

    @Test
    void tokenBudgetStopsTheRunOnceTheTokensAreUsed() {
        RunResult result = chainOfThree(expensive(4_000, 1_000))
                .budget(Budget.tokens(8_000))
                .build()
                .run("a blog post");

        assertThat(result.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(calls).hasValue(2);
        assertThat(result.totalUsage().totalTokens()).isEqualTo(10_000);
        assertThat(result.error()).get().asString()
                .contains("role 'Carol', action 'Ship'")
                .contains("used 10,000 of a 8,000 token budget");
        assertThat(result.documents().keySet()).containsExactly("Write", "Review");
    }

    @Test
    void runWithinBudgetSucceedsAndReportsUsagePerRoleAndAction() {
        RunResult result = chainOfThree(expensive(1_000, 500))
                .budget(Budget.usd(100))
                .build()
                .run("a blog post");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(calls).hasValue(3);
        assertThat(result.totalUsage().calls()).isEqualTo(3);
        assertThat(result.totalUsage().costUsd()).isCloseTo(4.5, within(1e-9));
        assertThat(result.usage()).containsOnlyKeys("Alice", "Bob", "Carol");
        assertThat(result.usage().get("Bob")).containsOnlyKeys("Review");
        assertThat(result.usageByRole().get("Carol").inputTokens()).isEqualTo(1_000);
        assertThat(result.usageByRole().get("Carol").costUsd()).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void syntheticModelsCostNothingEvenWhenPriced() {
        RunResult result = chainOfThree(Fakes.script("""
                        replies:
                          - reply: ok
                        """))
                .prices(PriceTable.empty().with("scripted", 1000, 1000))
                .budget(Budget.usd(0.0001))
                .build()
                .run("x");

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.totalUsage().calls()).isEqualTo(3);
        assertThat(result.totalUsage().costUsd()).isZero();
    }

    @Test
    void gatewayRefusesACallOnceTheLedgerHasSpentTheBudget() {
        UsageLedger ledger = new UsageLedger();
        ModelGateway gateway = ModelGateway.builder().budget(Budget.usd(1)).prices(PRICES).ledger(ledger)
                .retryPolicy(RetryPolicy.none()).build();
        ModelBackend backend = expensive(600, 600);

        gateway.call(backend, Fakes.request("A", "X", "first"));   // $1.20 booked
        assertThatThrownBy(() -> gateway.call(backend, Fakes.request("A", "X", "second")))
                .isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("spent $1.200000 of a $1.000000 budget");

        assertThat(calls).hasValue(1);
        assertThat(ledger.total().costUsd()).isCloseTo(1.2, within(1e-9));
        assertThat(ledger.byRoleAndAction().get("A").get("X").calls()).isEqualTo(1);
    }

    @Test
    void priceTableMatchesTheLongestPrefixOfTheModelName() {
        PriceTable prices = PriceTable.empty().with("gpt-4o", 2.5, 10).with("gpt-4o-mini", 0.15, 0.6);

        assertThat(prices.priceOf("gpt-4o-mini-2024-07-18")).get().extracting(PriceTable.Price::inputPerMillion).isEqualTo(0.15);
        assertThat(prices.priceOf("gpt-4o-2024-08-06")).get().extracting(PriceTable.Price::inputPerMillion).isEqualTo(2.5);
        assertThat(prices.priceOf("claude")).isEmpty();
        assertThat(prices.priceOf("gpt-4o").orElseThrow().cost(1_000_000, 1_000_000)).isCloseTo(12.5, within(1e-9));
    }
}
