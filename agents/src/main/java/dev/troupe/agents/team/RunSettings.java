package dev.troupe.agents.team;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.PriceTable;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.core.retry.Sleeper;
import dev.troupe.core.security.Redactor;
import dev.troupe.memory.reflection.store.ReflectionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a run of a team needs besides its roles and models, whichever transport carries it:
 * limits, budget and prices, how model calls are retried, paced and intercepted, where files,
 * lessons and the journal go, and who hears the run's events. Set through {@link Team.Builder};
 * {@link Team#settings()} hands it to the transports, which all run steps through one step engine.
 *
 * @param redactor            what the run masks in error messages and cassettes (the environment's secrets by default)
 * @param concurrencyPerModel the most calls at once to one model, per run (per step on a worker)
 * @param recordTo            the cassette every model answer of a run is recorded to, if any
 * @param workspace           where actions write files and run commands; empty: a fresh folder when needed
 * @param reflectionStore     where lessons are kept; empty: in the run's workspace
 */
public record RunSettings(Budget budget, int maxRounds, Duration timeout, PriceTable prices, RetryPolicy retryPolicy,
                          Sleeper sleeper, Redactor redactor, int concurrencyPerModel, ImmutableList<ModelInterceptor> interceptors,
                          Optional<Path> recordTo, Optional<Path> workspace, Optional<ReflectionStore> reflectionStore,
                          Optional<Journal> journal, ImmutableList<RunListener> listeners) {

    public RunSettings {
        Objects.requireNonNull(budget, "budget");
        checkArgument(maxRounds >= 1, "maxRounds must be >= 1 but was %s", maxRounds);
        checkArgument(timeout.isPositive(), "timeout must be positive but was %s", timeout);
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(redactor, "redactor");
        checkArgument(concurrencyPerModel >= 1, "concurrencyPerModel must be >= 1 but was %s", concurrencyPerModel);
        Objects.requireNonNull(interceptors, "interceptors");
        Objects.requireNonNull(recordTo, "recordTo");
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(reflectionStore, "reflectionStore");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(listeners, "listeners");
    }
}
