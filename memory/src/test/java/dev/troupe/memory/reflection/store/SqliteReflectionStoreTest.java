package dev.troupe.memory.reflection.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.memory.jdbc.Database;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteReflectionStoreTest extends ReflectionStoreContract {
    @TempDir
    Path dir;

    private final Map<Database, Path> files = new IdentityHashMap<>();

    @Override
    Database createDatabase() {
        Path file = dir.resolve("memory-" + files.size() + ".db");
        Database db = Database.sqlite(file);
        files.put(db, file);
        return db;
    }

    @Override
    Database reopenDatabase(Database db) {
        Database again = Database.sqlite(files.get(db));
        files.put(again, files.get(db));
        return again;
    }

    @Override
    String failInsertsSql(String table) {
        return "CREATE TRIGGER fail_" + table + " BEFORE INSERT ON " + table
                + " BEGIN SELECT RAISE(ABORT, 'simulated crash'); END";
    }

    @Override
    String stopFailingInsertsSql(String table) {
        return "DROP TRIGGER fail_" + table;
    }

    @Test
    void theFileIsInWalModeAndWritersWaitForEachOther() {
        String journalMode = db.read("read pragmas", c -> pragma(c, "journal_mode"));
        String busyTimeout = db.read("read pragmas", c -> pragma(c, "busy_timeout"));
        String foreignKeys = db.read("read pragmas", c -> pragma(c, "foreign_keys"));

        assertThat(journalMode).isEqualTo("wal");
        assertThat(busyTimeout).isEqualTo("10000");
        assertThat(foreignKeys).isEqualTo("1");
    }

    @Test
    void theEmbeddedDefaultLivesInTheWorkspace() {
        Path workspace = dir.resolve("ws");

        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(workspace)) {
            store.save(Fixtures.failedWithLesson(KEY, "in the workspace"));
        }

        assertThat(workspace.resolve(".troupe/troupe.db")).isRegularFile();
        try (JdbcReflectionStore byUrl = JdbcReflectionStore.open(
                Database.forUrl("jdbc:sqlite:" + workspace.resolve(".troupe/troupe.db")))) {
            assertThat(byUrl.load(KEY)).isPresent();
        }
    }

    private static String pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
