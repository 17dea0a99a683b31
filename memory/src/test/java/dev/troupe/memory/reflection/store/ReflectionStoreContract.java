package dev.troupe.memory.reflection.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.memory.error.ConcurrentUpdateException;
import dev.troupe.memory.error.StoreException;
import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.StepCorrection;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import dev.troupe.memory.reflection.Trial;
import dev.troupe.memory.reflection.TrialOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ReflectionStore} on JDBC must do, whichever database is underneath. */
abstract class ReflectionStoreContract {
    static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    static final TaskKey KEY = TaskKey.derive("shop", "Buyer", "Checkout", "Buy a blue mug");

    Database db;
    JdbcReflectionStore store;

    private final List<Database> opened = new ArrayList<>();

    /** A fresh, empty database for one test. */
    abstract Database createDatabase();

    /** A second, independent handle on the same storage as {@code db}, as another component would open it. */
    abstract Database reopenDatabase(Database db);

    /** Makes every insert into {@code table} fail from now on, as a crash in the middle of a save would. */
    abstract String failInsertsSql(String table);

    abstract String stopFailingInsertsSql(String table);

    final synchronized Database newDatabase() {
        Database created = createDatabase();
        opened.add(created);
        return created;
    }

    final synchronized Database reopen(Database db) {
        Database again = reopenDatabase(db);
        opened.add(again);
        return again;
    }

    @AfterEach
    final synchronized void closeDatabases() {
        opened.forEach(Database::close);
        opened.clear();
    }

    @BeforeEach
    void openStore() {
        db = newDatabase();
        store = JdbcReflectionStore.open(db, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void loadOfAnUnknownTaskIsEmpty() {
        assertThat(store.load(KEY)).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aSavedMemoryLoadsBackEqual() {
        TaskMemory rich = Fixtures.richMemory(KEY);

        TaskMemory saved = store.save(rich);
        TaskMemory loaded = store.load(KEY).orElseThrow();

        assertThat(saved.version()).isEqualTo(1);
        assertThat(loaded).isEqualTo(saved);
        assertThat(loaded.correctionAt(1).map(StepCorrection::disabledActions).orElseThrow()).hasSize(2);
        assertThat(loaded.trials()).extracting(Trial::number).containsExactly(1, 3, 4);
        assertThat(loaded.trial(1).orElseThrow().steps().get(0).stateSummary()).isEqualTo("home page — «ünïcode» ✓");
        assertThat(loaded.planNextTrial("run-3")).isEqualTo(rich.planNextTrial("run-3"));
    }

    @Test
    void everySaveMovesTheVersionOn() {
        TaskMemory v1 = store.save(Fixtures.failedWithLesson(KEY, "first"));
        TaskMemory v2 = store.save(v1.withMaxTrials(5));

        assertThat(v2.version()).isEqualTo(2);
        assertThat(store.load(KEY).orElseThrow()).isEqualTo(v2);
    }

    @Test
    void aSaveBasedOnAStaleVersionIsRefusedAndWritesNothing() {
        TaskMemory v1 = store.save(Fixtures.failedWithLesson(KEY, "first"));
        TaskMemory mine = v1.recordTrial("run-1", List.of(), Fixtures.FAILED);
        TaskMemory theirs = store.save(v1.withMaxTrials(7));

        assertThatThrownBy(() -> store.save(mine))
                .isInstanceOfSatisfying(ConcurrentUpdateException.class, e -> {
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.expectedVersion()).isEqualTo(1);
                })
                .hasMessageContaining("is at version 2 but this change was made to version 1")
                .hasMessageContaining("reload it and apply the change again");
        assertThat(store.load(KEY)).contains(theirs);
    }

    @Test
    void creatingATaskThatAnotherWriterCreatedConflicts() {
        store.save(Fixtures.failedWithLesson(KEY, "theirs"));

        assertThatThrownBy(() -> store.save(Fixtures.failedWithLesson(KEY, "mine")))
                .isInstanceOf(ConcurrentUpdateException.class)
                .hasMessageContaining("was created by another writer");
        assertThat(store.load(KEY).orElseThrow().lessons().getFirst().lesson()).isEqualTo("theirs");
    }

    @Test
    void savingATaskClearedMeanwhileConflicts() {
        TaskMemory v1 = store.save(Fixtures.failedWithLesson(KEY, "first"));
        store.clear(KEY);

        assertThatThrownBy(() -> store.save(v1.withMaxTrials(4)))
                .isInstanceOf(ConcurrentUpdateException.class)
                .hasMessageContaining("was cleared by another writer after version 1 was loaded");
        assertThat(store.load(KEY)).isEmpty();
    }

    @Test
    void ofConcurrentSavesOfOneVersionExactlyOneWins() throws Exception {
        TaskMemory v1 = store.save(Fixtures.failedWithLesson(KEY, "first"));
        int writers = 6;
        CountDownLatch loaded = new CountDownLatch(writers);
        List<Callable<String>> saves = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String runId = "writer-" + w;
            saves.add(() -> {
                JdbcReflectionStore own = JdbcReflectionStore.open(reopen(db));
                TaskMemory mine = own.load(KEY).orElseThrow().recordTrial(runId, List.of(), Fixtures.FAILED);
                loaded.countDown();
                loaded.await();
                try {
                    own.save(mine);
                    return runId;
                } catch (ConcurrentUpdateException e) {
                    return "conflict";
                }
            });
        }

        List<String> results = runAll(saves);

        assertThat(results).filteredOn("conflict"::equals).hasSize(writers - 1);
        String winner = results.stream().filter(r -> !r.equals("conflict")).findFirst().orElseThrow();
        TaskMemory stored = store.load(KEY).orElseThrow();
        assertThat(stored.version()).isEqualTo(v1.version() + 1);
        assertThat(stored.lastTrial().orElseThrow().runId()).isEqualTo(winner);
    }

    @Test
    void concurrentUpdatesLoseNothing() throws Exception {
        List<String> writers = List.of("t0", "t1", "t2", "t3", "t4", "t5");
        int perWriter = 5;
        List<Callable<String>> work = new ArrayList<>();
        for (String w : writers) {
            work.add(() -> {
                JdbcReflectionStore own = JdbcReflectionStore.open(reopen(db));
                for (int n = 0; n < perWriter; n++) {
                    own.update(KEY, 3, Fixtures.failAndLearn(w, n));
                }
                return w;
            });
        }

        runAll(work);

        TaskMemory stored = store.load(KEY).orElseThrow();
        int total = writers.size() * perWriter;
        assertThat(stored.trialsRecorded()).isEqualTo(total);
        assertThat(stored.version()).isEqualTo(total);
        assertThat(stored.correctionAt(0).orElseThrow().disabledActions())
                .containsExactlyInAnyOrderElementsOf(Fixtures.actionsOf(writers, perWriter));
    }

    @Test
    void updateCreatesAMissingTaskWithTheGivenCap() {
        TaskMemory saved = store.update(KEY, 4, Fixtures.failAndLearn("w", 0));

        assertThat(saved.version()).isEqualTo(1);
        assertThat(saved.maxTrials()).isEqualTo(4);
        assertThat(store.load(KEY)).contains(saved);
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() {
        TaskMemory v1 = store.save(Fixtures.failedWithLesson(KEY, "first"));

        TaskMemory result = store.update(KEY, 3, m -> m);

        assertThat(result).isEqualTo(v1);
        assertThat(store.load(KEY).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void anUpdateMustKeepItsTaskAndVersionAndAValidCap() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.update(KEY, 3, m -> TaskMemory.create(TaskKey.of("other"), 3)))
                .withMessageContaining("must return that task's memory but returned task 'other'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.update(KEY, 3, m -> m.withVersion(9)))
                .withMessageContaining("must not set the version itself (loaded 0, returned 9)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.update(KEY, 0, m -> m))
                .withMessageContaining("maxTrials for task '" + KEY + "' must be in 1..100 but was 0");
        assertThat(store.load(KEY)).isEmpty();
    }

    @Test
    void anExceptionInsideAnUpdateLeavesTheStoreUntouched() {
        TaskMemory v1 = store.save(Fixtures.failedWithLesson(KEY, "first"));

        assertThatThrownBy(() -> store.update(KEY, 3, m -> {
            throw new IllegalStateException("judge crashed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("judge crashed");
        assertThat(store.load(KEY)).contains(v1);
    }

    @Test
    void anExceptionInsideTheTransactionRollsBackEveryWriteBeforeIt() {
        TaskMemory v1 = store.save(Fixtures.failedWithLesson(KEY, "first"));

        assertThatThrownBy(() -> db.write("half a save", c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE reflection_tasks SET version = 99");
                s.executeUpdate("DELETE FROM reflection_lessons");
                s.executeUpdate("DELETE FROM reflection_steps");
            }
            throw new IllegalStateException("crashed inside the transaction");
        })).isInstanceOf(IllegalStateException.class).hasMessage("crashed inside the transaction");

        assertThat(store.load(KEY)).contains(v1);
    }

    @Test
    void aSaveThatFailsHalfwayLeavesNoPartialState() {
        TaskMemory v1 = store.save(Fixtures.failedWithLesson(KEY, "first"));
        TaskMemory bigger = Fixtures.withBigTrial(v1, "run-2");
        // Lessons are written last, after the task row, the old children's deletion and the new
        // trials and steps: a failure there must undo all of those.
        exec(failInsertsSql("reflection_lessons"));

        assertThatThrownBy(() -> store.save(bigger))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(db.label()).hasMessageContaining("save task '" + KEY + "'")
                .hasMessageContaining("simulated crash");
        assertThatThrownBy(() -> store.update(KEY, 3, m -> Fixtures.withBigTrial(m, "run-3")))
                .isInstanceOf(StoreException.class);
        assertThat(store.load(KEY)).contains(v1);
        assertThat(countRows("reflection_steps")).isEqualTo(2);

        exec(stopFailingInsertsSql("reflection_lessons"));
        assertThat(store.save(bigger).version()).isEqualTo(2);
    }

    @Test
    void listSummarisesEveryTaskInKeyOrder() {
        TaskKey b = TaskKey.of("b-task");
        TaskKey a = TaskKey.of("a-task");
        store.save(Fixtures.richMemory(b));
        store.save(Fixtures.failedWithLesson(a, "lesson"));
        store.save(TaskMemory.create(TaskKey.of("c-task"), 2));

        List<TaskSummary> list = store.list();

        assertThat(list).extracting(s -> s.key().value()).containsExactly("a-task", "b-task", "c-task");
        assertThat(list.get(0)).isEqualTo(new TaskSummary(a, 1, 3, 1, 1,
                Optional.of(Fixtures.FAILED), NOW));
        assertThat(list.get(1).lessons()).isEqualTo(2);
        assertThat(list.get(1).trialsRecorded()).isEqualTo(4);
        assertThat(list.get(1).lastOutcome()).contains(TrialOutcome.success());
        assertThat(list.get(2).lastOutcome()).isEmpty();
    }

    @Test
    void clearForgetsTheTaskAndSaysWhetherItWasThere() {
        store.save(Fixtures.richMemory(KEY));
        TaskKey other = TaskKey.of("other");
        TaskMemory kept = store.save(Fixtures.failedWithLesson(other, "keep me"));

        assertThat(store.clear(KEY)).isTrue();
        assertThat(store.clear(KEY)).isFalse();
        assertThat(store.load(KEY)).isEmpty();
        assertThat(store.load(other)).contains(kept);
        assertThat(countRows("reflection_steps")).isEqualTo(2);
        assertThat(store.update(KEY, 3, m -> m.withMaxTrials(2)).version()).isEqualTo(1);
    }

    @Test
    void lessonsOutliveTheStoreThatWroteThem() {
        store.save(Fixtures.failedWithLesson(KEY, "click the second link"));

        JdbcReflectionStore later = JdbcReflectionStore.open(reopen(db));

        assertThat(later.load(KEY).orElseThrow().planNextTrial("next-run").forcedActionAt(1))
                .contains(ActionCall.of("click", "{\"id\": 2}"));
    }

    @Test
    void reopeningAppliesNoMigrationTwice() {
        JdbcReflectionStore.open(reopen(db));
        JdbcReflectionStore again = JdbcReflectionStore.open(reopen(db));

        assertThat(again.schemaVersion()).isEqualTo(1);
        assertThat(countRows("schema_version")).isEqualTo(1);
    }

    @Test
    void concurrentOpensOfAFreshDatabaseMigrateItOnce() throws Exception {
        Database fresh = newDatabase();
        CountDownLatch ready = new CountDownLatch(4);
        List<Callable<String>> opens = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String opener = "opener-" + i;
            opens.add(() -> {
                Database mine = reopen(fresh);
                ready.countDown();
                ready.await();
                JdbcReflectionStore.open(mine).update(KEY, 3, Fixtures.failAndLearn(opener, 0));
                return opener;
            });
        }

        runAll(opens);
        assertThat(fresh.schemaVersion("reflection")).isEqualTo(1);
        int versions = fresh.read("count versions", c -> count(c, "schema_version"));
        assertThat(versions).isEqualTo(1);
        assertThat(JdbcReflectionStore.open(fresh).load(KEY).orElseThrow().trialsRecorded()).isEqualTo(4);
    }

    @Test
    void aDatabaseWithANewerSchemaIsRefused() {
        db.write("pretend a newer Troupe migrated", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO schema_version (component, version, description, applied_at) VALUES ('reflection', 2, 'future', 'x')")) {
                return s.executeUpdate();
            }
        });

        assertThatThrownBy(() -> JdbcReflectionStore.open(reopen(db)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("the reflection schema is at version 2 but this Troupe knows versions up to 1")
                .hasMessageContaining("upgrade Troupe");
    }

    @Test
    void failureReasonsAndDetailsRoundTrip() {
        TaskMemory m = TaskMemory.create(KEY, FailureReason.values().length + 1);
        for (FailureReason reason : FailureReason.values()) {
            m = m.recordTrial("run", List.of(), TrialOutcome.failure(reason, "because " + reason));
        }

        TaskMemory saved = store.save(m);

        assertThat(store.load(KEY)).contains(saved);
        assertThat(store.load(KEY).orElseThrow().trials()).extracting(Trial::outcome)
                .containsExactly(Arrays.stream(FailureReason.values())
                        .map(r -> TrialOutcome.failure(r, "because " + r)).toArray(TrialOutcome[]::new));
    }

    void exec(String sql) {
        db.write("run test SQL", c -> {
            try (Statement s = c.createStatement()) {
                return s.execute(sql);
            }
        });
    }

    int countRows(String table) {
        return db.read("count " + table, c -> count(c, table));
    }

    static int count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Runs the tasks on threads of their own, all at once, and returns their results in order. */
    static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            tasks.forEach(t -> futures.add(pool.submit(t)));
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
