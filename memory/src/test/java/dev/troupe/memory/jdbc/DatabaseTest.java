package dev.troupe.memory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.memory.error.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC layer on SQLite: transactions, migrations, connection reuse, error classification. */
class DatabaseTest {
    private static final Migration CREATE = Migration.of(1, "notes table", "CREATE TABLE notes (id INTEGER PRIMARY KEY)");
    private static final Migration ADD_COLUMN = Migration.of(2, "note text", "ALTER TABLE notes ADD COLUMN body TEXT");
    private static final Migration INDEX = Migration.of(3, "index on text", "CREATE INDEX notes_body ON notes (body)");

    @TempDir
    Path dir;

    Database db;

    @BeforeEach
    void open() {
        db = Database.sqlite(dir.resolve("sub/dir/test.db"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void migrationsApplyInOrderAndOnlyOnce() {
        assertThat(db.migrate("notes", List.of(CREATE, ADD_COLUMN, INDEX))).isEqualTo(3);
        // A second open would fail on CREATE TABLE if it ran anything again.
        assertThat(db.migrate("notes", List.of(CREATE, ADD_COLUMN, INDEX))).isEqualTo(3);

        db.write("insert", c -> exec(c, "INSERT INTO notes (id, body) VALUES (1, 'uses version 2')"));
        assertThat(db.schemaVersion("notes")).isEqualTo(3);
        assertThat(query(db, "SELECT group_concat(description, ' | ') FROM schema_version WHERE component = 'notes'"))
                .isEqualTo("notes table | note text | index on text");
    }

    @Test
    void anUpgradeAppliesOnlyTheNewMigrations() {
        db.migrate("notes", List.of(CREATE, ADD_COLUMN));
        db.write("insert", c -> exec(c, "INSERT INTO notes (id, body) VALUES (1, 'kept')"));

        assertThat(db.migrate("notes", List.of(CREATE, ADD_COLUMN, INDEX))).isEqualTo(3);

        assertThat(query(db, "SELECT body FROM notes")).isEqualTo("kept");
        assertThat(query(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'notes_body'")).isEqualTo("1");
    }

    @Test
    void aFailingMigrationAppliesNothingOfThatOpen() {
        Migration broken = Migration.of(2, "broken", "CREATE TABLE oops (");

        assertThatThrownBy(() -> db.migrate("notes", List.of(CREATE, broken)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("migration 2 of the notes schema (broken) failed, so none of this open's migrations were applied");

        assertThat(db.schemaVersion("notes")).isZero();
        assertThat(query(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'notes'")).isEqualTo("0");
    }

    @Test
    void componentsHaveVersionsOfTheirOwn() {
        db.migrate("alpha", List.of(Migration.of(1, "a", "CREATE TABLE a (x INTEGER)")));
        db.migrate("beta", List.of(Migration.of(1, "b", "CREATE TABLE b (x INTEGER)"),
                Migration.of(2, "b2", "CREATE TABLE b2 (x INTEGER)")));

        assertThat(db.schemaVersion("alpha")).isEqualTo(1);
        assertThat(db.schemaVersion("beta")).isEqualTo(2);
        assertThat(db.schemaVersion("gamma")).isZero();
    }

    @Test
    void migrationListsMustBeNumberedFromOneInOrder() {
        assertThatIllegalArgumentException().isThrownBy(() -> db.migrate("notes", List.of(ADD_COLUMN)))
                .withMessageContaining("numbered 1, 2, 3… in order, but position 1 holds version 2");
        assertThatIllegalArgumentException().isThrownBy(() -> db.migrate("Notes!", List.of(CREATE)))
                .withMessageContaining("but was 'Notes!'");
        assertThatIllegalArgumentException().isThrownBy(() -> Migration.of(1, "empty"))
                .withMessageContaining("migration 1 (empty) has no statements");
    }

    @Test
    void aDatabaseNeverMigratedHasVersionZero() {
        assertThat(db.schemaVersion("notes")).isZero();
    }

    @Test
    void urlsPickTheDialectAndLabelsHidePasswords() {
        try (Database sqlite = Database.forUrl("jdbc:sqlite:" + dir.resolve("x.db"));
             Database pg = Database.forUrl("jdbc:postgresql://db:5432/troupe?user=u&password=secret&ssl=true")) {
            assertThat(sqlite.dialect()).isEqualTo(Dialect.SQLITE);
            assertThat(sqlite.label()).isEqualTo("sqlite:" + dir.resolve("x.db"));
            assertThat(pg.dialect()).isEqualTo(Dialect.POSTGRESQL);
            assertThat(pg.label()).isEqualTo("postgresql://db:5432/troupe?user=u&password=***&ssl=true");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> Database.forUrl("jdbc:mysql://db/troupe"))
                .withMessageContaining("unsupported memory database URL 'jdbc:mysql://db/troupe'; use jdbc:sqlite:<file>");
        assertThatIllegalArgumentException().isThrownBy(() -> Database.forUrl("jdbc:sqlite::memory:"))
                .withMessageContaining("names a file");
        assertThatIllegalArgumentException().isThrownBy(() -> Database.sqlite(dir))
                .withMessageContaining("is a directory");
    }

    @Test
    void connectionsAreReusedAfterCleanTransactionsOnly() {
        AtomicInteger opened = new AtomicInteger();
        try (Database counted = Database.of(Dialect.SQLITE, "counted", () -> {
            opened.incrementAndGet();
            return db.connections().open();
        })) {
            counted.migrate("notes", List.of(CREATE));
            for (int i = 0; i < 5; i++) {
                int id = i;
                counted.write("insert", c -> exec(c, "INSERT INTO notes (id) VALUES (" + id + ")"));
            }
            assertThatThrownBy(() -> counted.write("fail", c -> {
                exec(c, "INSERT INTO notes (id) VALUES (100)");
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");
            String rows = counted.read("count", c -> queryOn(c, "SELECT COUNT(*) FROM notes"));
            assertThat(rows).isEqualTo("5");

            assertThat(opened).hasValue(1);
        }
    }

    @Test
    void aClosedDatabaseRefusesWork() {
        db.close();

        assertThatThrownBy(() -> db.write("insert", c -> exec(c, "SELECT 1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void aWriterThatCannotGetTheLockInTimeIsToldToRetry() throws SQLException {
        db.migrate("notes", List.of(CREATE));
        try (Database impatient = Database.of(Dialect.SQLITE, "impatient", () -> {
            Connection c = db.connections().open();
            exec(c, "PRAGMA busy_timeout = 50");
            return c;
        }); Connection holder = db.connections().open()) {
            exec(holder, "BEGIN IMMEDIATE");

            assertThatThrownBy(() -> impatient.write("insert a note", c -> exec(c, "INSERT INTO notes (id) VALUES (1)")))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retriable()).isTrue())
                    .hasMessageContaining("impatient: could not insert a note")
                    .hasMessageContaining("nothing was written; try again");

            exec(holder, "ROLLBACK");
            impatient.write("insert a note", c -> exec(c, "INSERT INTO notes (id) VALUES (1)"));
        }
        assertThat(query(db, "SELECT COUNT(*) FROM notes")).isEqualTo("1");
    }

    private static boolean exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.execute(sql);
        }
    }

    private static String query(Database db, String sql) {
        return db.read("query", c -> queryOn(c, sql));
    }

    private static String queryOn(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
