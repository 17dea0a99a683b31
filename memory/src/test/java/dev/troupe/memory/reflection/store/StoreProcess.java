package dev.troupe.memory.reflection.store;

import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.jdbc.Dialect;
import dev.troupe.memory.jdbc.Migration;
import dev.troupe.memory.reflection.TaskKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sqlite.Function;

/**
 * The other process in {@link SqliteProcessesTest}: a separate JVM that opens the same SQLite
 * file and writes to it. Prints one line of result; exits 0 when done.
 */
public final class StoreProcess {
    /** The exit code of a process killed on purpose in the middle of a save. */
    static final int KILLED_MID_SAVE = 42;

    private StoreProcess() {}

    public static void main(String[] args) throws Exception {
        String command = args[0];
        Path file = Path.of(args[1]);
        switch (command) {
            // lesson FILE KEY TEXT: records a failed trial and a lesson on it
            case "lesson" -> {
                try (JdbcReflectionStore store = JdbcReflectionStore.open(Database.sqlite(file))) {
                    var saved = store.update(TaskKey.of(args[2]), 3, m -> Fixtures.failedWithLesson(m.key(), args[3]));
                    System.out.println("saved version " + saved.version());
                }
            }
            // hammer FILE KEY WRITER COUNT SIGNAL_DIR: COUNT updates, started together with the other writers
            case "hammer" -> {
                try (JdbcReflectionStore store = JdbcReflectionStore.open(Database.sqlite(file))) {
                    readyThenAwaitGo(Path.of(args[5]));
                    for (int n = 0; n < Integer.parseInt(args[4]); n++) {
                        store.update(TaskKey.of(args[2]), 3, Fixtures.failAndLearn(args[3], n));
                    }
                }
                System.out.println("hammered");
            }
            // open FILE SIGNAL_DIR: opens (and so migrates) the store together with the other openers
            case "open" -> {
                Path signals = Path.of(args[2]);
                // Warm up on a scratch file, so the real opens are not spread out by class loading.
                try (Database scratch = Database.sqlite(signals.resolve("warm-up-" + ProcessHandle.current().pid() + ".db"))) {
                    scratch.migrate("warm-up", List.of(Migration.of(1, "warm up", "CREATE TABLE t (x INTEGER)")));
                }
                readyThenAwaitGo(signals);
                try (JdbcReflectionStore store = JdbcReflectionStore.open(Database.sqlite(file))) {
                    System.out.println("schema version " + store.schemaVersion());
                }
            }
            // die-mid-save FILE KEY: starts a big save and halts the JVM before it commits
            case "die-mid-save" -> {
                JdbcReflectionStore store = JdbcReflectionStore.open(dyingDatabase(file));
                store.update(TaskKey.of(args[2]), 3, m -> Fixtures.withBigTrial(m, "doomed-run"));
                System.out.println("the save completed, but the process should have died inside it");
                System.exit(1);
            }
            default -> throw new IllegalArgumentException("unknown command " + command + " " + List.of(args));
        }
        System.exit(0);
    }

    /**
     * The SQLite file, on connections that halt the JVM when a save reaches its lessons, after it
     * has rewritten the task row, trials and steps. The tiny page cache makes SQLite spill those
     * uncommitted pages into the WAL file first, as a large write would.
     */
    private static Database dyingDatabase(Path file) {
        Database plain = Database.sqlite(file);
        return Database.of(Dialect.SQLITE, "dying " + plain.label(), () -> {
            Connection c = plain.connections().open();
            Function.create(c, "halt_jvm", new Function() {
                @Override
                protected void xFunc() {
                    Runtime.getRuntime().halt(KILLED_MID_SAVE);
                }
            });
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA cache_size = 4");
                if (tableExists(c)) {
                    s.execute("CREATE TEMP TRIGGER die_mid_save BEFORE INSERT ON main.reflection_lessons BEGIN SELECT halt_jvm(); END");
                }
            }
            return c;
        });
    }

    private static boolean tableExists(Connection c) throws SQLException {
        try (var q = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE name = 'reflection_lessons'");
             var rs = q.executeQuery()) {
            return rs.next();
        }
    }

    /** Tells the test this process is ready, then waits for the test to say go. */
    private static void readyThenAwaitGo(Path signals) throws Exception {
        Files.createFile(signals.resolve("ready-" + ProcessHandle.current().pid()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(signals.resolve("go"))) {
            if (System.nanoTime() > deadline) {
                System.out.println("no go signal in 60 s");
                System.exit(3);
            }
            Thread.sleep(2);
        }
    }
}
