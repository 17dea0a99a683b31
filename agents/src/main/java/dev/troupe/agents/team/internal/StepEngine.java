package dev.troupe.agents.team.internal;

import dev.troupe.agents.team.RunSettings;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.error.BudgetExceededException;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.model.internal.UsageLedger;
import dev.troupe.agents.reflection.internal.ReflectionScope;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.role.internal.RoleAgent;
import dev.troupe.memory.error.MissingDriverException;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import dev.troupe.memory.reflection.store.ReflectionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of a role's step that is the same on every transport: the round and time limits and
 * their messages, the one place a run's or a step's {@link ModelGateway} is assembled from the
 * team's {@link RunSettings}, the workspace rule, where lessons go, and what a step's end means
 * ({@link StepOutcome}). The in-process run and the NATS workers and coordinator both drive steps
 * through it; they differ only in how messages travel and who waits for whom.
 */
public final class StepEngine {
    private static final Logger log = LoggerFactory.getLogger(StepEngine.class);
    private static final StepOutcome DONE = new StepOutcome.Done();

    private final String team;
    private final RunSettings settings;
    private final boolean usesReflection;
    private final boolean needsWorkspace;

    public StepEngine(String team, ImmutableList<Role> roles, RunSettings settings) {
        this.team = team;
        this.settings = settings;
        this.usesReflection = roles.stream().flatMap(r -> r.actions().stream()).anyMatch(a -> a.reflection().isPresent());
        // Reflective actions keep lessons in the workspace unless a store is given.
        this.needsWorkspace = (usesReflection && settings.reflectionStore().isEmpty())
                || roles.stream().flatMap(r -> r.actions().stream()).anyMatch(a -> a.needsWorkspace());
    }

    public RunSettings settings() {
        return settings;
    }

    /** The gateway of a whole run in one process, booking on {@code ledger} and recording to the team's cassette. */
    public ModelGateway runGateway(RunListener listener, UsageLedger ledger) {
        return gateway(listener, ledger, settings.budget(), List.of(), settings.recordTo());
    }

    /**
     * The gateway of one step taken apart from the rest of its run (a NATS worker's): the team's
     * chain under the run's {@code budget}, booking this step's calls on {@code stepLedger}, with
     * {@code spentBefore} (what the run's other steps spent) counting toward the budget, and the
     * worker's own {@code extra} interceptors after the team's. Not recorded: a cassette is one
     * run's whole conversation.
     */
    public ModelGateway stepGateway(RunListener listener, UsageLedger stepLedger, Budget budget, Usage spentBefore,
                                    List<ModelInterceptor> extra) {
        stepLedger.addToTotal(spentBefore);
        return gateway(listener, stepLedger, budget, extra, Optional.empty());
    }

    private ModelGateway gateway(RunListener listener, UsageLedger ledger, Budget budget, List<ModelInterceptor> extra,
                                 Optional<Path> recordTo) {
        ModelGateway.Builder gb = ModelGateway.builder()
                .listener(listener)
                .budget(budget)
                .prices(settings.prices())
                .ledger(ledger)
                .retryPolicy(settings.retryPolicy())
                .sleeper(settings.sleeper())
                .redactor(settings.redactor())
                .concurrencyPerModel(settings.concurrencyPerModel());
        settings.interceptors().forEach(gb::addInterceptor);
        extra.forEach(gb::addInterceptor);
        recordTo.ifPresent(gb::recordTo);
        return gb.build();
    }

    /** The round a step on {@code news} publishes in: one past the latest of its news. */
    public static int roundAfter(Collection<Message> news) {
        int latest = 0;
        for (Message m : news) {
            latest = Math.max(latest, m.round());
        }
        return latest + 1;
    }

    /** Why {@code role} may not start a step in {@code round} of a run allowed {@code maxRounds}, or empty when it may. */
    public static Optional<String> pastRoundLimit(String role, int round, int maxRounds) {
        if (round <= maxRounds) {
            return Optional.empty();
        }
        return Optional.of("role '" + role + "' would start round " + round + ", past the limit of " + maxRounds
                + "; raise maxRounds if the SOP needs more");
    }

    /** Why a run that passed its time limit ended. */
    public String timedOut() {
        return "the run passed its time limit of " + settings.timeout() + "; raise it with Team.builder().timeout(...),"
                + " --timeout or 'limits: {timeout: …}'.";
    }

    /**
     * The folder a run's actions write files and run commands in, created if missing: the team's, or
     * the one a resumed run used, or a fresh temporary folder; empty when no action needs one.
     *
     * @throws ConfigurationException when a resumed run's folder is not the team's, or it cannot be created
     */
    public Optional<Path> workspace(Optional<Path> resumedIn) {
        Optional<Path> configured = settings.workspace();
        // A resumed run goes on where its completed actions left their files.
        if (resumedIn.isPresent() && configured.isPresent()
                && !resumedIn.get().toAbsolutePath().normalize().equals(configured.get().toAbsolutePath().normalize())) {
            throw new ConfigurationException("The run being resumed keeps its files in " + resumedIn.get() + ", not in "
                    + configured.get() + "; resume it with that workspace, or without one.");
        }
        if (!needsWorkspace) {
            return Optional.empty();
        }
        try {
            Optional<Path> dir = resumedIn.or(() -> configured);
            Path ws = dir.isPresent() ? Files.createDirectories(dir.get()) : Files.createTempDirectory("troupe-" + team + "-");
            return Optional.of(ws.toAbsolutePath());
        } catch (IOException e) {
            throw new ConfigurationException("Cannot create the workspace for team '" + team + "': " + e.getMessage()
                    + ". Runs of one team need its workspace folder (workers: the same folder, on a shared file system).", e);
        }
    }

    /**
     * The folder of a run under way elsewhere (opened by a coordinator), created here if missing:
     * the workers of one run share it.
     */
    public static Path joinWorkspace(Path ofRun) {
        try {
            return Files.createDirectories(ofRun);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot create the run's workspace " + ofRun + " on this worker: " + e.getMessage()
                    + ". Workers of one run must share its workspace folder (same machine or a shared file system).", e);
        }
    }

    /** Whether a run keeps lessons of its own in its workspace: it has reflective actions and the team no store. */
    public boolean keepsLessonsInWorkspace() {
        return usesReflection && settings.reflectionStore().isEmpty();
    }

    /**
     * Where a run's reflective actions keep their lessons: the team's store, else {@code ownStore}
     * (a run's store in its workspace, see {@link #keepsLessonsInWorkspace()}); empty without reflection.
     */
    public Optional<ReflectionScope> reflection(String requirement, Optional<Path> workspace, Optional<ReflectionStore> ownStore) {
        if (!usesReflection) {
            return Optional.empty();
        }
        return settings.reflectionStore().or(() -> ownStore).map(s -> new ReflectionScope(s, team, requirement, workspace));
    }

    /**
     * The lessons of {@code workspace} for a process that takes part in many runs: opened for each
     * operation, so it holds no connection to a run it is not working in.
     */
    public static ReflectionStore lessonsIn(Path workspace) {
        return new WorkspaceLessons(workspace);
    }

    /**
     * Takes {@code agent}'s step on {@code news}, in the round after the latest of them, and says how
     * it ended; a step that would start a round past {@code maxRounds} does not start. {@code afterwards}
     * runs once a started step has run, whether or not it failed (the in-process run writes the step's
     * journal there), and its failure is the step's. This is the one hop from a transport's "this role
     * has news" to the role's mode.
     */
    public StepOutcome take(RoleAgent agent, List<Message> news, int maxRounds, Runnable afterwards) {
        String role = agent.role().name();
        int round = roundAfter(news);
        Optional<String> past = pastRoundLimit(role, round, maxRounds);
        if (past.isPresent()) {
            return new StepOutcome.RoundLimit(past.get());
        }
        return take(role, () -> {
            try {
                agent.step(news, round);
            } finally {
                afterwards.run();
            }
        });
    }

    /**
     * Runs one step of {@code role} and says how it ended. A budget refusal and a failure become
     * outcomes carrying the run's error text; an interrupt or a publish after the run ended is a
     * cancellation. Errors (out of memory…) are not outcomes and pass through.
     */
    public StepOutcome take(String role, Runnable step) {
        try {
            step.run();
            return DONE;
        } catch (BudgetExceededException e) {
            return new StepOutcome.OverBudget(e.getMessage());
        } catch (CancellationException e) {
            return new StepOutcome.Cancelled();
        } catch (RuntimeException e) {
            if (interrupted(e)) {
                return new StepOutcome.Cancelled();
            }
            log.debug("Step of role {} failed", role, e);
            return new StepOutcome.Failed(java.util.Objects.toString(e.getMessage(), e.toString()), e);
        }
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Opens the embedded default store of a reflective team's lessons, the SQLite file in its workspace;
     * the application may not carry SQLite's driver, so its absence is a configuration error that says what to do.
     */
    public static JdbcReflectionStore openWorkspaceLessons(Path workspace) {
        try {
            return JdbcReflectionStore.inWorkspace(workspace);
        } catch (MissingDriverException e) {
            throw new ConfigurationException(e.getMessage() + " Reflective actions keep their lessons in the workspace's"
                    + " SQLite file unless Team.Builder.reflectionStore gives them another store.", e);
        }
    }
}
