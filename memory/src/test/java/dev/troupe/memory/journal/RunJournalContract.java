package dev.troupe.memory.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import dev.troupe.memory.error.RunTakenOverException;
import dev.troupe.memory.error.StoreException;
import dev.troupe.memory.jdbc.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RunJournal} must do, run against SQLite and PostgreSQL. */
abstract class RunJournalContract {
    static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");

    private final List<Database> opened = new ArrayList<>();
    JdbcRunJournal journal;

    abstract Database createDatabase();

    /** A second handle on the same database, as another process would open it. */
    abstract Database reopenDatabase(Database db);

    @BeforeEach
    void openJournal() {
        journal = open(createDatabase(), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(Database::close);
        opened.clear();
    }

    JdbcRunJournal open(Database db, Clock clock) {
        opened.add(db);
        return JdbcRunJournal.open(db, clock);
    }

    static RunEntry run(String id) {
        return new RunEntry(id, "demo", "A snake game", Optional.of("/tmp/ws"));
    }

    static MessageEntry message(String id, String causeBy) {
        return new MessageEntry(id, "Alice", causeBy, 1, "{\"id\":\"" + id + "\",\"content\":\"text of " + id + "\"}");
    }

    static ActionEntry action(String key, int modelCalls) {
        return new ActionEntry(key, "Alice", "WritePRD", 1, "{\"news\":[\"m1\"],\"index\":0}", "{\"content\":\"PRD\"}",
                "{\"calls\":" + modelCalls + "}", modelCalls);
    }

    @Test
    void aNewRunIsAttemptOneAndListedAsRunning() {
        assertThat(journal.start(run("r1"))).isEqualTo(new Attempt("r1", 1));

        RunSummary s = journal.list().getFirst();
        assertThat(s.runId()).isEqualTo("r1");
        assertThat(s.team()).isEqualTo("demo");
        assertThat(s.requirement()).isEqualTo("A snake game");
        assertThat(s.status()).isEqualTo(RunJournal.RUNNING);
        assertThat(s.ended()).isFalse();
        assertThat(s.attempts()).isEqualTo(1);
        assertThat(s.workspace()).contains("/tmp/ws");
        assertThat(s.startedAt()).isEqualTo(T0);
    }

    @Test
    void messagesAndActionsShareOneSequenceAndLoadBackInOrder() {
        Attempt a = journal.start(run("r1"));
        assertThat(journal.append(a, message("m1", "UserRequirement"))).isEqualTo(1);
        assertThat(journal.append(a, action("k1", 2))).isEqualTo(2);
        assertThat(journal.append(a, message("m2", "WritePRD"))).isEqualTo(3);
        assertThat(journal.append(a, action("k2", 0))).isEqualTo(4);

        JournaledRun loaded = journal.load("r1").orElseThrow();
        assertThat(loaded.messages()).extracting(Journaled::seq).containsExactly(1L, 3L);
        assertThat(loaded.messages()).extracting(j -> j.entry()).containsExactly(message("m1", "UserRequirement"), message("m2", "WritePRD"));
        assertThat(loaded.actions()).extracting(Journaled::seq).containsExactly(2L, 4L);
        assertThat(loaded.actions()).extracting(j -> j.entry()).containsExactly(action("k1", 2), action("k2", 0));
        assertThat(loaded.actions()).allSatisfy(j -> {
            assertThat(j.attempt()).isEqualTo(1);
            assertThat(j.at()).isEqualTo(T0);
        });
        assertThat(loaded.summary().messages()).isEqualTo(2);
        assertThat(loaded.summary().actions()).isEqualTo(2);
        assertThat(loaded.summary().modelCalls()).isEqualTo(2);
    }

    @Test
    void aResumeTakesTheNextAttemptAndTheOldAttemptCanNoLongerWrite() {
        Attempt first = journal.start(run("r1"));
        journal.append(first, message("m1", "UserRequirement"));
        journal.finish(first, "FAILED", Optional.of("the model said no"));

        Attempt second = journal.resume("r1").orElseThrow();

        assertThat(second).isEqualTo(new Attempt("r1", 2));
        RunSummary s = journal.load("r1").orElseThrow().summary();
        assertThat(s.status()).isEqualTo(RunJournal.RUNNING);
        assertThat(s.error()).isEmpty();
        assertThat(s.ended()).isFalse();
        assertThat(s.attempts()).isEqualTo(2);
        assertThatThrownBy(() -> journal.append(first, message("late", "WritePRD")))
                .isInstanceOfSatisfying(RunTakenOverException.class, e -> {
                    assertThat(e.attempt()).isEqualTo(1);
                    assertThat(e.latestAttempt()).isEqualTo(2);
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining("run 'r1' was resumed by another process (attempt 2)");
        assertThatThrownBy(() -> journal.finish(first, "SUCCEEDED", Optional.empty())).isInstanceOf(RunTakenOverException.class);

        assertThat(journal.append(second, message("m2", "WritePRD"))).as("the refused write took no number").isEqualTo(2);
        assertThat(journal.load("r1").orElseThrow().messages()).extracting(j -> j.entry().messageId() + "@" + j.attempt())
                .containsExactly("m1@1", "m2@2");
    }

    @Test
    void finishingRecordsTheStatusTheErrorAndTheEnd() {
        Attempt a = journal.start(run("r1"));
        journal.finish(a, "BUDGET_EXCEEDED", Optional.of("spent 0.50 USD"));

        RunSummary s = journal.list().getFirst();
        assertThat(s.status()).isEqualTo("BUDGET_EXCEEDED");
        assertThat(s.error()).contains("spent 0.50 USD");
        assertThat(s.endedAt()).contains(T0);
        assertThatThrownBy(() -> journal.finish(a, RunJournal.RUNNING, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("final status");
    }

    @Test
    void unknownRunsAreEmptyNotErrors() {
        assertThat(journal.load("nope")).isEmpty();
        assertThat(journal.resume("nope")).isEmpty();
        assertThat(journal.list()).isEmpty();
    }

    @Test
    void aSecondMessageWithTheSameIdIsRefusedAndLeavesNoTrace() {
        Attempt a = journal.start(run("r1"));
        journal.append(a, message("m1", "UserRequirement"));

        assertThatThrownBy(() -> journal.append(a, message("m1", "WritePRD"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("journal message m1 (WritePRD) of run 'r1'");
        journal.append(a, action("k1", 1));
        assertThatThrownBy(() -> journal.append(a, action("k1", 1))).isInstanceOf(StoreException.class);

        JournaledRun loaded = journal.load("r1").orElseThrow();
        assertThat(loaded.messages()).hasSize(1);
        assertThat(loaded.actions()).extracting(Journaled::seq).containsExactly(2L);
    }

    @Test
    void aLaterAttemptJournalsAgainACallAnEarlierAttemptJournaledAsFailed() {
        // A call that failed and ended the run runs again on resume, under the same key.
        Attempt first = journal.start(run("r1"));
        journal.append(first, action("k1", 1));
        journal.finish(first, "FAILED", Optional.of("k1 failed"));
        Attempt second = journal.resume("r1").orElseThrow();

        journal.append(second, action("k1", 2));
        assertThatThrownBy(() -> journal.append(second, action("k1", 3))).as("once per attempt").isInstanceOf(StoreException.class);

        JournaledRun loaded = journal.load("r1").orElseThrow();
        assertThat(loaded.actions()).extracting(j -> j.entry().key() + "@" + j.attempt() + "#" + j.entry().modelCalls())
                .containsExactly("k1@1#1", "k1@2#2");
        assertThat(loaded.summary().modelCalls()).as("both attempts' calls count").isEqualTo(3);
    }

    @Test
    void anActionAndItsMessageAreWrittenTogetherOrNotAtAll() {
        Attempt a = journal.start(run("r1"));
        journal.append(a, message("m1", "UserRequirement"));

        assertThat(journal.append(a, action("k1", 1), message("m2", "WritePRD"))).as("the message's number").isEqualTo(3);
        // The message id is taken: the action of this pair must not stay behind on its own.
        assertThatThrownBy(() -> journal.append(a, action("k2", 1), message("m2", "WritePRD"))).isInstanceOf(StoreException.class);

        JournaledRun loaded = journal.load("r1").orElseThrow();
        assertThat(loaded.actions()).extracting(j -> j.entry().key() + "#" + j.seq()).containsExactly("k1#2");
        assertThat(loaded.messages()).extracting(j -> j.entry().messageId() + "#" + j.seq()).containsExactly("m1#1", "m2#3");
        assertThat(journal.append(a, message("m3", "WriteDesign"))).as("the refused pair took no numbers").isEqualTo(4);
    }

    @Test
    void writersOnManyThreadsAndTwoHandlesGetEveryNumberOnce() throws Exception {
        Attempt a = journal.start(run("r1"));
        JdbcRunJournal other = open(reopenDatabase(journal.database()), Clock.systemUTC());
        int threads = 8;
        int perThread = 15;
        List<Callable<List<Long>>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            RunJournal target = t % 2 == 0 ? journal : other;
            writers.add(() -> {
                List<Long> seqs = new ArrayList<>();
                for (int n = 0; n < perThread; n++) {
                    seqs.add(n % 2 == 0 ? target.append(a, message("m" + thread + "-" + n, "Work"))
                            : target.append(a, action("k" + thread + "-" + n, 1)));
                }
                return seqs;
            });
        }
        Set<Long> seen = new HashSet<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<List<Long>> f : pool.invokeAll(writers)) {
                seen.addAll(f.get());
            }
        }

        assertThat(seen).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, (long) threads * perThread).boxed().toList());
        JournaledRun loaded = other.load("r1").orElseThrow();
        assertThat(loaded.messages().size() + loaded.actions().size()).isEqualTo(threads * perThread);
    }

    @Test
    void runsAreListedNewestFirstWithWhatTheyHold() {
        JdbcRunJournal later = open(reopenDatabase(journal.database()), Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
        Attempt old = journal.start(run("old"));
        journal.append(old, message("m1", "UserRequirement"));
        journal.append(old, action("k1", 3));
        journal.append(old, action("k2", 2));
        later.start(new RunEntry("new", "research-report", "Virtual threads?", Optional.empty()));

        ImmutableList<RunSummary> runs = journal.list();

        assertThat(runs).extracting(RunSummary::runId).containsExactly("new", "old");
        assertThat(runs.get(1).messages()).isEqualTo(1);
        assertThat(runs.get(1).actions()).isEqualTo(2);
        assertThat(runs.get(1).modelCalls()).isEqualTo(5);
        assertThat(runs.getFirst().workspace()).isEmpty();
        assertThat(runs.getFirst().modelCalls()).isZero();
    }

    @Test
    void whatWasWrittenSurvivesReopeningTheDatabase() {
        Attempt a = journal.start(run("r1"));
        journal.append(a, message("m1", "UserRequirement"));
        journal.append(a, action("k1", 1));
        journal.database().close();

        JdbcRunJournal reopened = open(reopenDatabase(journal.database()), Clock.systemUTC());

        assertThat(reopened.schemaVersion()).isEqualTo(JournalSchema.MIGRATIONS.getLast().version());
        JournaledRun loaded = reopened.load("r1").orElseThrow();
        assertThat(loaded.messages()).hasSize(1);
        assertThat(loaded.actions()).hasSize(1);
        assertThat(reopened.append(reopened.resume("r1").orElseThrow(), message("m2", "WritePRD"))).isEqualTo(3);
    }
}
