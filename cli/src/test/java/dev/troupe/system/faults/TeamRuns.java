package dev.troupe.system.faults;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.PriceTable;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs a built-in team in-process through the {@code openai:} provider against a
 * {@link FaultyOpenAiServer}, with a sleeper that records backoffs instead of waiting, and keeps
 * what the run showed.
 */
final class TeamRuns {
    static final String MODEL = "gpt-4o-mini";
    static final String KEY = "sk-test";
    /** The default attempts (5), with backoffs short enough that none can be mistaken for a Retry-After of 0 or 1 s. */
    static final RetryPolicy RETRIES = RetryPolicy.defaults().withDelays(Duration.ofMillis(10), Duration.ofMillis(50));
    static final PriceTable PRICES = PriceTable.defaults().with(MODEL, 0.15, 0.60);
    /** A read timeout short enough that a request the server never answers costs half a second. */
    static final String TIMEOUT = "PT0.5S";

    private TeamRuns() {}

    /** A run's result with the model calls the gateway reported and the backoffs it asked for. */
    record Outcome(RunResult result, ImmutableList<RunEvent.ModelCall> calls, ImmutableList<Duration> sleeps) {
        /** Requests the gateway made for its answered calls, retries included. */
        int attempts() {
            return calls.stream().mapToInt(RunEvent.ModelCall::attempts).sum();
        }
    }

    static TeamDefinition team(String name) {
        return TeamLoader.builtin(name);
    }

    /** The team on {@code openai:<model>} at the server, with the team's own budget unless {@code budget} is given. */
    static Outcome run(TeamDefinition def, FaultyOpenAiServer server, String model, String key, Optional<Budget> budget,
                       Path workspace) {
        return run(def, server, model, key, budget, workspace, new RunListener() {
        });
    }

    /** The same, with {@code listener} watching the run's events too. */
    static Outcome run(TeamDefinition def, FaultyOpenAiServer server, String model, String key, Optional<Budget> budget,
                       Path workspace, RunListener listener) {
        ModelResolver resolver = ModelResolver.withEnv(Map.of(
                "OPENAI_BASE_URL", server.baseUrl(),
                "OPENAI_API_KEY", key,
                "TROUPE_MODEL_TIMEOUT", TIMEOUT));
        List<RunEvent.ModelCall> calls = new CopyOnWriteArrayList<>();
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        Team.Builder b = def.toBuilder(resolver.resolve("openai:" + model), resolver)
                .retryPolicy(RETRIES)
                .sleeper(sleeps::add)
                .prices(PRICES)
                .workspace(workspace)
                .listener(listener)
                .listener(new RunListener() {
                    @Override
                    public void onModelCall(RunEvent.ModelCall e) {
                        calls.add(e);
                    }
                });
        budget.ifPresent(b::budget);
        RunResult result = b.build().run(def.idea().orElseThrow());
        return new Outcome(result, ImmutableList.copyOf(calls), ImmutableList.copyOf(sleeps));
    }

    static Outcome run(TeamDefinition def, FaultyOpenAiServer server, Path workspace) {
        return run(def, server, MODEL, KEY, Optional.empty(), workspace);
    }

    /** The team on its bundled script, in-process, with no server: the reference documents. */
    static RunResult offline(TeamDefinition def, Path workspace) {
        ModelResolver resolver = ModelResolver.withEnv(Map.of());
        return def.toBuilder(def.resolve(def.offlineModel().orElseThrow(), resolver), resolver)
                .workspace(workspace).build().run(def.idea().orElseThrow());
    }

    /**
     * The run's documents as "Action by Sender" and content, by action and in publish order within
     * an action (parallel roles publish in either order). Command output is made comparable across
     * runs: the workspace path and test timings vary.
     */
    static ImmutableList<String> documents(RunResult r) {
        String ws = r.workspace().map(p -> p.toAbsolutePath().toString()).orElse(null);
        return r.documents().values().stream()
                .sorted(Comparator.comparing(Message::causeBy))
                .map(m -> m.causeBy() + " by " + m.sender() + ":\n" + normalize(m, ws))
                .collect(ImmutableList.toImmutableList());
    }

    private static String normalize(Message m, String ws) {
        String c = m.content();
        if (ws != null) {
            c = c.replace(ws, "<workspace>");
        }
        return c.replaceAll("\\b\\d+\\.\\d+s\\b", "<time>s");
    }

    /** The cost the server billed for an exchange, at {@link #PRICES}. */
    static double cost(FaultyOpenAiServer.Exchange e) {
        return e.billed() ? PRICES.priceOf(MODEL).orElseThrow().cost(e.promptTokens(), e.completionTokens()) : 0.0;
    }

    static boolean hasPython() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
