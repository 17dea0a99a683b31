package dev.troupe.memory.journal;

import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.jdbc.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on a real PostgreSQL server, each test in schemas of its own that are dropped
 * afterwards. Skipped, saying why, when no server answers ({@code bash .ci/run} starts one).
 */
class PostgresRunJournalTest extends RunJournalContract {
    private static TestPostgres server;

    @BeforeAll
    static void findServer() {
        server = TestPostgres.find();
        server.unreachable().ifPresent(System.err::println);
    }

    @Override
    @BeforeEach
    void openJournal() {
        // Per test rather than in @BeforeAll, so each test is reported as skipped with the reason.
        Assumptions.assumeTrue(server.unreachable().isEmpty(), server.unreachable().orElse(""));
        super.openJournal();
    }

    @Override
    Database createDatabase() {
        return server.newDatabase();
    }

    @Override
    Database reopenDatabase(Database db) {
        return server.reopen(db);
    }

    @AfterEach
    void dropSchemas() {
        if (server.unreachable().isEmpty()) {
            closeDatabases();
            server.dropSchemas();
        }
    }
}
