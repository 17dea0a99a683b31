package dev.troupe.memory.jdbc;

import dev.troupe.memory.error.MissingDriverException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the JDBC driver for a database URL. The drivers are optional dependencies of this module, so
 * the application picks the ones it uses; a missing one is a {@link MissingDriverException} naming the
 * artifact to add rather than a {@code NoClassDefFoundError} or "no suitable driver" later.
 */
final class Drivers {
    private static final Properties ARTIFACTS = load();

    private Drivers() {}

    /** The driver that accepts {@code url}: one beside this module's classes, else one registered with DriverManager. */
    static Driver forUrl(Dialect dialect, String url, String label) {
        try {
            for (Driver d : ServiceLoader.load(Driver.class, Drivers.class.getClassLoader())) {
                if (d.acceptsURL(url)) {
                    return d;
                }
            }
        } catch (SQLException | ServiceConfigurationError e) {
            // A broken provider elsewhere on the class path; DriverManager below gets the last word.
        }
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException e) {
            String artifact = artifact(dialect);
            throw new MissingDriverException("No JDBC driver for " + label + " is on the class path: add the dependency "
                    + artifact + " (groupId:artifactId:version) to the application, or keep the journal and lessons in"
                    + " another database.", artifact);
        }
    }

    static String artifact(Dialect dialect) {
        return ARTIFACTS.getProperty(switch (dialect) {
            case SQLITE -> "sqlite";
            case POSTGRESQL -> "postgresql";
        });
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Drivers.class.getResourceAsStream("drivers.properties")) {
            if (in == null) {
                throw new IllegalStateException("drivers.properties is missing from the troupe-memory jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read drivers.properties of troupe-memory", e);
        }
        return p;
    }
}
