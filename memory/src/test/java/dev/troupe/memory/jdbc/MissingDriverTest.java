package dev.troupe.memory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.troupe.memory.error.MissingDriverException;
import dev.troupe.memory.testing.ClassPathWithout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drivers are optional dependencies: this module is loaded here on a class path without one, as an
 * application that did not add it would load it, and the database says which artifact to add.
 */
class MissingDriverTest {

    @Test
    void aSqliteDatabaseWithoutTheDriverNamesTheArtifactToAdd(@TempDir Path dir) throws Exception {
        Throwable e = openWithout("sqlite-jdbc", "jdbc:sqlite:" + dir.resolve("troupe.db"));

        assertThat(e.getClass().getName()).isEqualTo(MissingDriverException.class.getName());
        assertThat(e.getMessage()).contains("sqlite:" + dir.resolve("troupe.db"))
                .containsPattern("add the dependency org\\.xerial:sqlite-jdbc:\\d+\\.\\d+");
    }

    @Test
    void aPostgresDatabaseWithoutTheDriverNamesTheArtifactToAddAndHidesThePassword() throws Exception {
        Throwable e = openWithout("postgresql-", "jdbc:postgresql://db.example:5432/troupe?user=t&password=secret");

        assertThat(e.getClass().getName()).isEqualTo(MissingDriverException.class.getName());
        assertThat(e.getMessage()).containsPattern("add the dependency org\\.postgresql:postgresql:\\d+\\.\\d+")
                .contains("postgresql://db.example:5432/troupe").doesNotContain("secret");
    }

    @Test
    void withTheDriverPresentTheSameUrlOpens(@TempDir Path dir) {
        try (Database db = Database.forUrl("jdbc:sqlite:" + dir.resolve("troupe.db"))) {
            assertThat(db.migrate("missing-driver-test", List.of(Migration.of(1, "a table", "CREATE TABLE t (x INTEGER)")))).isEqualTo(1);
        }
    }

    /** Calls {@code Database.forUrl(url)} in a class loader over this test's class path minus the jars named {@code jar*}. */
    private static Throwable openWithout(String jar, String url) throws Exception {
        try (URLClassLoader loader = ClassPathWithout.jars(jar)) {
            assertThat(loader.getResource(driverClass(jar))).as("%s is left out", jar).isNull();
            Method forUrl = loader.loadClass(Database.class.getName()).getMethod("forUrl", String.class);
            InvocationTargetException thrown = catchThrowableOfType(InvocationTargetException.class, () -> forUrl.invoke(null, url));
            assertThat(thrown).as("Database.forUrl(%s) without %s", url, jar).isNotNull();
            return thrown.getCause();
        }
    }

    private static String driverClass(String jar) {
        return jar.startsWith("sqlite") ? "org/sqlite/JDBC.class" : "org/postgresql/Driver.class";
    }
}
