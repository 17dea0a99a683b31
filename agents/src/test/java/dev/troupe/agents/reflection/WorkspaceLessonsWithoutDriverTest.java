package dev.troupe.agents.reflection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.memory.testing.ClassPathWithout;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * troupe-agents carries no JDBC driver: a reflective team that keeps its lessons in the workspace's
 * SQLite file, run by an application without sqlite-jdbc, fails with a ConfigurationException that
 * names the artifact to add.
 */
class WorkspaceLessonsWithoutDriverTest {

    @Test
    void aReflectiveRunWithoutTheSqliteDriverNamesTheArtifactToAdd(@TempDir Path workspace) throws Exception {
        String outcome;
        try (URLClassLoader loader = ClassPathWithout.jars("sqlite-jdbc")) {
            assertThat(loader.getResource("org/sqlite/JDBC.class")).as("sqlite-jdbc is left out").isNull();
            @SuppressWarnings("unchecked")
            Function<Path, String> run = (Function<Path, String>) loader.loadClass(ReflectiveRun.class.getName())
                    .getDeclaredConstructor().newInstance();
            outcome = run.apply(workspace);
        }

        assertThat(outcome).startsWith(ConfigurationException.class.getName() + ": ")
                .containsPattern("add the dependency org\\.xerial:sqlite-jdbc:\\d+")
                .contains("Team.Builder.reflectionStore");
    }

    /** Runs a reflective team in a workspace, inside the loader without the driver; says how it ended. */
    public static final class ReflectiveRun implements Function<Path, String> {
        @Override
        public String apply(Path workspace) {
            Role agent = Role.builder("Agent").watch(Message.USER_REQUIREMENT)
                    .actions(Action.builder("Forecast").instruction("What is the weather in {{requirement}}?")
                            .tools(TrialFixtures.weatherTools(new ArrayList<>())).reflection(ReflectionSettings.defaults()).build())
                    .build();
            try {
                return "finished: " + Team.builder("weather").role(agent).model(Fakes.script("replies: []")).workspace(workspace)
                        .build().run("Paris").status();
            } catch (RuntimeException e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }
    }
}
