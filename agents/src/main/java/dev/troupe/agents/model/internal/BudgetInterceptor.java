package dev.troupe.agents.model.internal;

import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.agents.model.PriceTable;
import dev.troupe.agents.error.BudgetExceededException;

/**
 * Refuses a call once the run's budget is spent, and books every answered call's tokens and cost
 * into the run's ledger (prices from the {@link PriceTable}; synthetic models cost nothing).
 */
final class BudgetInterceptor implements ModelInterceptor {
    private final Budget budget;
    private final PriceTable prices;
    private final UsageLedger ledger;

    BudgetInterceptor(Budget budget, PriceTable prices, UsageLedger ledger) {
        this.budget = budget;
        this.prices = prices;
        this.ledger = ledger;
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        ModelRequest request = chain.request();
        String exhausted = budget.isUnlimited() ? null : budget.exhaustedBy(ledger.total());
        if (exhausted != null) {
            throw new BudgetExceededException("Budget exhausted before " + request.where() + ": " + exhausted
                    + ". Raise the budget (--budget-usd, budget: in YAML) or use a cheaper model.");
        }
        ModelResponse response = chain.proceed(request);
        String model = response.chatResponse().modelName() != null ? response.chatResponse().modelName() : chain.backend().modelName();
        double cost = response.synthetic() ? 0.0
                : prices.priceOf(model).map(p -> p.cost(response.inputTokens(), response.outputTokens())).orElse(0.0);
        ledger.recordCall(request.role(), request.action(), response.inputTokens(), response.outputTokens(), cost);
        return response.withCost(cost);
    }
}
