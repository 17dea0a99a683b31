package dev.troupe.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The built-in teams run end to end offline, on the scripted model bundled with each. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BuiltinTeamsRunTest {
    private static final ModelResolver NO_ENV = ModelResolver.withEnv(Map.of());

    @TempDir
    Path workspace;

    private RunResult runOffline(String name) {
        TeamDefinition def = TeamLoader.load(TeamLoader.BUILTIN + name);
        ModelBackend offline = def.resolve(def.offlineModel().orElseThrow(), NO_ENV);
        RunResult result = def.toBuilder(offline, NO_ENV).workspace(workspace).build().run(def.idea().orElseThrow());
        assertThat(result.status()).as("%s run error: %s", name, result.error()).isEqualTo(RunStatus.SUCCEEDED);
        return result;
    }

    private static boolean python3OnPath() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void demoRunsOnItsScriptAndJoinsDesignAndTestPlanInTheReview() {
        RunResult result = runOffline("demo");

        assertThat(result.payload("WritePRD")).get().satisfies(p -> assertThat(p.path("title").asText()).isEqualTo("Terminal Snake"));
        assertThat(result.documents().get("ReviewPlan")).singleElement().satisfies(m -> {
            assertThat(m.sender()).isEqualTo("Dan");
            assertThat(m.content()).startsWith("GO.");
        });
        assertThat(result.documents().keySet()).containsExactlyInAnyOrder("WritePRD", "SketchDesign", "WriteTestPlan", "ReviewPlan");
    }

    @Test
    void softwareCompanyWritesTheGameAndItsTestsFixesTheFailingTestOnceAndPasses() {
        assumeTrue(python3OnPath(), "the software-company team runs its tests with python3, which is not on PATH");

        RunResult result = runOffline("software-company");

        assertThat(workspace.resolve("snake/game.py")).isRegularFile()
                .content().contains("0 <= head[0] < self.width");
        assertThat(workspace.resolve("tests/test_game.py")).isRegularFile()
                .content().contains("test_hitting_a_wall_ends_the_game");
        ImmutableList<Message> runs = result.documents().get("RunTests");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).sender()).isEqualTo("Edward");
        assertThat(runs.get(0).sendTo()).containsExactly("Alex");
        assertThat(runs.get(0).payload()).get().satisfies(p -> {
            assertThat(p.path("passed").asBoolean()).isFalse();
            assertThat(p.path("output").asText()).contains("test_hitting_a_wall_ends_the_game");
        });
        assertThat(runs.get(1).payload()).get().satisfies(p -> assertThat(p.path("passed").asBoolean()).isTrue());
        assertThat(result.documents().get("FixCode")).singleElement().satisfies(m -> assertThat(m.sender()).isEqualTo("Alex"));
        assertThat(result.messages().indexOf(runs.get(0)))
                .isLessThan(result.messages().indexOf(result.documents().get("FixCode").get(0)))
                .isLessThan(result.messages().indexOf(runs.get(1)));
        assertThat(result.workspace()).contains(workspace);
    }

    @Test
    void researchReportWriterPublishesTheReportOnceFromItsReactLoop() {
        RunResult result = runOffline("research-report");

        assertThat(result.documents().get("WriteReport")).singleElement().satisfies(m -> {
            assertThat(m.sender()).isEqualTo("Wendy");
            assertThat(m.content()).contains("# Virtual threads for blocking web services");
            assertThat(m.payload()).isEmpty();
        });
        assertThat(result.payload("CollectFacts")).get().satisfies(p -> assertThat(p.path("facts").size()).isEqualTo(4));
        assertThat(result.payload("AnalyzeFacts")).isPresent();
    }
}
