package dev.troupe.memory.reflection.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.Reflection;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.TaskMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite file shared by separate JVMs, as when several `troupe run`s use one workspace. */
class SqliteProcessesTest {
    private static final TaskKey KEY = TaskKey.of("shared/task");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("workspace/.troupe/troupe.db");
    }

    @Test
    void aLessonWrittenByAnotherProcessIsReadHere() throws Exception {
        Child child = Child.start(dir, "lesson", file().toString(), KEY.value(), "click the second link, not the first");

        assertThat(child.await()).isEqualTo("saved version 1");
        try (JdbcReflectionStore store = JdbcReflectionStore.open(Database.sqlite(file()))) {
            TaskMemory read = store.load(KEY).orElseThrow();
            assertThat(read.lessons()).extracting(Reflection::lesson).containsExactly("click the second link, not the first");
            assertThat(read.planNextTrial("my-run").forcedActionAt(1)).contains(ActionCall.of("click", "{\"id\": 2}"));
        }
    }

    @Test
    void twoProcessesAndTwoThreadsWritingAtOnceLoseNothing() throws Exception {
        int perWriter = 15;
        Path signals = Files.createDirectories(dir.resolve("signals"));
        Child a = Child.start(dir, "hammer", file().toString(), KEY.value(), "process-a", "" + perWriter, signals.toString());
        Child b = Child.start(dir, "hammer", file().toString(), KEY.value(), "process-b", "" + perWriter, signals.toString());
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<String>> threads = new ArrayList<>();
        for (String w : List.of("thread-a", "thread-b")) {
            threads.add(() -> {
                try (JdbcReflectionStore store = JdbcReflectionStore.open(Database.sqlite(file()))) {
                    go.await();
                    for (int n = 0; n < perWriter; n++) {
                        store.update(KEY, 3, Fixtures.failAndLearn(w, n));
                    }
                }
                return w;
            });
        }

        awaitReady(signals, a, b);
        Files.createFile(signals.resolve("go"));
        go.countDown();
        ReflectionStoreContract.runAll(threads);
        assertThat(a.await()).isEqualTo("hammered");
        assertThat(b.await()).isEqualTo("hammered");

        try (JdbcReflectionStore store = JdbcReflectionStore.open(Database.sqlite(file()))) {
            TaskMemory stored = store.load(KEY).orElseThrow();
            List<String> writers = List.of("process-a", "process-b", "thread-a", "thread-b");
            assertThat(stored.trialsRecorded()).isEqualTo(writers.size() * perWriter);
            assertThat(stored.version()).isEqualTo(writers.size() * perWriter);
            assertThat(stored.correctionAt(0).orElseThrow().disabledActions())
                    .containsExactlyInAnyOrderElementsOf(Fixtures.actionsOf(writers, perWriter));
        }
    }

    @Test
    void twoProcessesOpeningAFreshFileAtOnceMigrateItOnce() throws Exception {
        Path signals = Files.createDirectories(dir.resolve("signals"));
        Child a = Child.start(dir, "open", file().toString(), signals.toString());
        Child b = Child.start(dir, "open", file().toString(), signals.toString());

        awaitReady(signals, a, b);
        assertThat(file()).doesNotExist();
        Files.createFile(signals.resolve("go"));

        assertThat(a.await()).isEqualTo("schema version 1");
        assertThat(b.await()).isEqualTo("schema version 1");
        try (Database db = Database.sqlite(file())) {
            int rows = db.read("count versions", c -> ReflectionStoreContract.count(c, "schema_version"));
            assertThat(rows).isEqualTo(1);
        }
    }

    /** Waits until every child has written its ready file (they are warm and waiting for go). */
    private static void awaitReady(Path signals, Child... children) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            long ready;
            try (var files = Files.list(signals)) {
                ready = files.filter(f -> f.getFileName().toString().startsWith("ready-")).count();
            }
            if (ready == children.length) {
                return;
            }
            for (Child c : children) {
                if (!c.process().isAlive()) {
                    throw new AssertionError("a child JVM died before it was ready: " + c.output());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the child JVMs were not ready in 60 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aProcessKilledInTheMiddleOfASaveLeavesNoTraceOfIt() throws Exception {
        TaskMemory before;
        try (JdbcReflectionStore store = JdbcReflectionStore.open(Database.sqlite(file()))) {
            before = store.save(Fixtures.failedWithLesson(KEY, "before the crash"));
        }

        Child dying = Child.start(dir, "die-mid-save", file().toString(), KEY.value());

        assertThat(dying.awaitExit()).as("exit code of the process killed mid-save; its output: %s", dying.output())
                .isEqualTo(StoreProcess.KILLED_MID_SAVE);
        Path wal = Path.of(file() + "-wal");
        assertThat(Files.size(wal)).as("bytes of uncommitted pages the dead process left in the WAL").isGreaterThan(100_000);
        try (JdbcReflectionStore store = JdbcReflectionStore.open(Database.sqlite(file()))) {
            assertThat(store.load(KEY)).contains(before);
            String integrity = store.database().read("check integrity", c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(integrity).isEqualTo("ok");
            assertThat(store.update(KEY, 3, m -> Fixtures.withBigTrial(m, "after-the-crash")).version()).isEqualTo(2);
        }
    }

    /** A JVM running {@link StoreProcess} on this test's class path. */
    record Child(Process process, Path log) {
        static Child start(Path dir, String... args) throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    // sqlite-jdbc unpacks its native library here; a halted JVM cannot delete it.
                    "-Djava.io.tmpdir=" + tmp, "-Dorg.sqlite.tmpdir=" + tmp,
                    "-cp", System.getProperty("java.class.path"), StoreProcess.class.getName()));
            command.addAll(List.of(args));
            Path log = Files.createTempFile(dir, "child-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Child(process, log);
        }

        int awaitExit() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the child JVM did not finish in 60 s; its output: " + output());
            }
            return process.exitValue();
        }

        /** Waits for a successful exit and returns the child's last line of output. */
        String await() throws Exception {
            int exit = awaitExit();
            assertThat(exit).as("exit code of the child JVM; its output: %s", output()).isZero();
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "" : lines.getLast();
        }

        String output() throws IOException {
            return Files.readString(log);
        }
    }
}
