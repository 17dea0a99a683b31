package dev.troupe.memory.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * A PostgreSQL server for tests, at {@value #DEFAULT_URL} or {@code $TROUPE_TEST_POSTGRES_URL}, with
 * a fresh schema per database it hands out; {@link #unreachable()} says why tests must skip.
 */
public final class TestPostgres {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String URL_VARIABLE = "TROUPE_TEST_POSTGRES_URL";

    private final String url;
    private final Properties properties;
    private final String unreachable;
    private final String prefix = "troupe_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final List<String> schemas = new ArrayList<>();

    private TestPostgres(String url, Properties properties, String unreachable) {
        this.url = url;
        this.properties = properties;
        this.unreachable = unreachable;
    }

    /** Tries the configured URL, else the default one as {@code postgres} and as the current user. */
    public static TestPostgres find() {
        String configured = System.getenv(URL_VARIABLE);
        boolean given = configured != null && !configured.isBlank();
        String target = given ? configured : DEFAULT_URL;
        List<Properties> candidates = new ArrayList<>();
        if (given) {
            candidates.add(new Properties());
        } else {
            candidates.add(user("postgres"));
            candidates.add(user(System.getProperty("user.name")));
        }
        List<String> tried = new ArrayList<>();
        for (Properties p : candidates) {
            p.setProperty("connectTimeout", "3");
            try (Connection c = new org.postgresql.Driver().connect(target, p); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                return new TestPostgres(target, p, null);
            } catch (SQLException e) {
                tried.add("as " + p.getProperty("user", "the URL's user") + ": " + e.getMessage());
            }
        }
        return new TestPostgres(target, new Properties(), "PostgreSQL tests skipped: no server answered at " + target + " " + tried
                + "; start PostgreSQL (bash .ci/run does) or set " + URL_VARIABLE + " to a reachable JDBC URL");
    }

    /** Why the server cannot be used; empty when it can. */
    public Optional<String> unreachable() {
        return Optional.ofNullable(unreachable);
    }

    /** A database in a new, empty schema of its own. */
    public Database newDatabase() {
        String schema = prefix + "_" + schemas.size();
        admin("CREATE SCHEMA " + schema);
        schemas.add(schema);
        return Database.postgres(urlOf(schema), properties);
    }

    /** Another database object on the schema {@code db} was made for, as a second process would open it. */
    public Database reopen(Database db) {
        String schema = schemas.stream().filter(s -> db.label().endsWith("currentSchema=" + s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(db + " was not made by this server"));
        return Database.postgres(urlOf(schema), properties);
    }

    /** Drops every schema handed out so far. */
    public void dropSchemas() {
        for (String schema : schemas) {
            admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        schemas.clear();
    }

    private String urlOf(String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private void admin(String sql) {
        try (Connection c = new org.postgresql.Driver().connect(url, properties); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test setup failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    private static Properties user(String name) {
        Properties p = new Properties();
        p.setProperty("user", name);
        return p;
    }
}
