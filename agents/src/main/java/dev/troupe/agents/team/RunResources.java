package dev.troupe.agents.team;

import dev.troupe.agents.team.internal.StepEngine;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.MessageBus;
import dev.troupe.agents.message.Subscription;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.internal.UsageLedger;
import dev.troupe.agents.reflection.internal.ReflectionScope;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one in-process run holds open: its gateway and ledger, its workspace, its own store of
 * lessons (when the team has none), its journal session, its bus subscriptions and its time limit.
 * Opened in {@link #open}, closed in {@link #close}; nothing else opens or closes them.
 */
final class RunResources {
    private static final Logger log = LoggerFactory.getLogger(RunResources.class);

    /** One daemon thread for every run's time limit. */
    private static final ScheduledThreadPoolExecutor TIMEOUTS = timeouts();

    private static ScheduledThreadPoolExecutor timeouts() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "troupe-run-timeouts");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    final MessageBus bus;
    final UsageLedger ledger;
    final ModelGateway gateway;
    final Optional<Path> workspace;
    final Optional<ReflectionScope> reflection;
    final Journaling journaling;
    private final JdbcReflectionStore ownedStore;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private ScheduledFuture<?> timeLimit;

    private RunResources(MessageBus bus, UsageLedger ledger, ModelGateway gateway, Optional<Path> workspace,
                         Optional<ReflectionScope> reflection, Journaling journaling, JdbcReflectionStore ownedStore) {
        this.bus = bus;
        this.ledger = ledger;
        this.gateway = gateway;
        this.workspace = workspace;
        this.reflection = reflection;
        this.journaling = journaling;
        this.ownedStore = ownedStore;
    }

    /** Opens what run {@code runId} of {@code team} needs; with {@code resumption}, the next attempt at a journaled run. */
    static RunResources open(Team team, String runId, String requirement, MessageBus bus, RunListener listener,
                             Optional<Resumption> resumption) {
        StepEngine engine = team.engine();
        UsageLedger ledger = new UsageLedger();
        Optional<Path> workspace = engine.workspace(resumption.flatMap(Resumption::workspace));
        Journaling journaling = resumption.map(r -> Journaling.resumed(r, ledger))
                .or(() -> team.journal().map(j -> Journaling.fresh(j.begin(runId, team.name(), requirement, workspace))))
                .orElseGet(Journaling::none);
        JdbcReflectionStore own = engine.keepsLessonsInWorkspace() ? StepEngine.openWorkspaceLessons(workspace.orElseThrow()) : null;
        Optional<ReflectionScope> reflection = engine.reflection(requirement, workspace, Optional.ofNullable(own));
        return new RunResources(bus, ledger, engine.runGateway(listener, ledger), workspace, reflection, journaling, own);
    }

    /** Keeps {@code s} until the run closes. */
    synchronized void hold(Subscription s) {
        subscriptions.add(s);
    }

    /** Runs {@code onLimit} on a fresh thread once {@code limit} has passed, unless the run closes first. */
    synchronized void timeLimit(Duration limit, String runId, Runnable onLimit) {
        timeLimit = TIMEOUTS.schedule(() -> Thread.ofVirtual().name("troupe-timeout-" + runId).start(onLimit),
                limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the time limit: the run is ending. */
    synchronized void stopTimeLimit() {
        if (timeLimit != null) {
            timeLimit.cancel(false);
        }
    }

    /** Closes everything the run held, each even if another fails to close. */
    void close() {
        stopTimeLimit();
        List<Subscription> subs;
        synchronized (this) {
            subs = List.copyOf(subscriptions);
            subscriptions.clear();
        }
        subs.forEach(Subscription::cancel);
        gateway.close();
        if (ownedStore != null) {
            try {
                ownedStore.close();
            } catch (RuntimeException e) {
                log.warn("Closing the run's store of lessons failed: {}", e.getMessage());
            }
        }
    }
}
