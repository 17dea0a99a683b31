package dev.troupe.memory.reflection.store;

import dev.troupe.memory.jdbc.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on a real PostgreSQL server, each test in a schema of its own that is dropped
 * afterwards. Skipped, saying why, when no server answers ({@code bash .ci/run} starts one).
 */
class PostgresReflectionStoreTest extends ReflectionStoreContract {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    /** Set to a full JDBC URL (user included) to test against another server. */
    static final String URL_VARIABLE = "TROUPE_TEST_POSTGRES_URL";
    private static final String RUN = "troupe_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    private static String url;
    private static Properties properties;
    private static String unreachable;

    private final Map<Database, String> schemaOf = new IdentityHashMap<>();
    private final List<String> schemas = new ArrayList<>();

    @BeforeAll
    static void findServer() {
        String configured = System.getenv(URL_VARIABLE);
        List<String> tried = new ArrayList<>();
        List<Properties> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(new Properties());
        } else {
            candidates.add(user("postgres"));
            candidates.add(user(System.getProperty("user.name")));
        }
        String target = configured != null && !configured.isBlank() ? configured : DEFAULT_URL;
        for (Properties p : candidates) {
            p.setProperty("connectTimeout", "3");
            try (Connection c = new org.postgresql.Driver().connect(target, p); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                url = target;
                properties = p;
                return;
            } catch (SQLException e) {
                tried.add("as " + p.getProperty("user", "the URL's user") + ": " + e.getMessage());
            }
        }
        unreachable = "PostgreSQL tests skipped: no server answered at " + target + " " + tried
                + "; start PostgreSQL (bash .ci/run does) or set " + URL_VARIABLE + " to a reachable JDBC URL";
        System.err.println(unreachable);
    }

    @Override
    @BeforeEach
    void openStore() {
        // Per test rather than in @BeforeAll, so each test is reported as skipped with the reason.
        Assumptions.assumeTrue(unreachable == null, unreachable);
        super.openStore();
    }

    private static Properties user(String name) {
        Properties p = new Properties();
        p.setProperty("user", name);
        return p;
    }

    @Override
    Database createDatabase() {
        String schema = RUN + "_" + schemas.size();
        admin("CREATE SCHEMA " + schema);
        schemas.add(schema);
        Database db = Database.postgres(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, properties);
        schemaOf.put(db, schema);
        return db;
    }

    @Override
    Database reopenDatabase(Database db) {
        String schema = schemaOf.get(db);
        Database again = Database.postgres(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, properties);
        schemaOf.put(again, schema);
        return again;
    }

    @Override
    String failInsertsSql(String table) {
        return "CREATE FUNCTION fail_" + table + "() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'simulated crash in %', TG_TABLE_NAME; END $$; "
                + "CREATE TRIGGER fail_" + table + " BEFORE INSERT ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION fail_" + table + "()";
    }

    @Override
    String stopFailingInsertsSql(String table) {
        return "DROP TRIGGER fail_" + table + " ON " + table;
    }

    @AfterEach
    void dropSchemas() {
        if (unreachable != null) {
            return;
        }
        closeDatabases();
        for (String schema : schemas) {
            admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void admin(String sql) {
        try (Connection c = new org.postgresql.Driver().connect(url, properties); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test setup failed: " + sql + ": " + e.getMessage(), e);
        }
    }
}
