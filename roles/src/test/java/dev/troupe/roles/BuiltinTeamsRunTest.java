package dev.troupe.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
        return runOffline(name, new CopyOnWriteArrayList<>());
    }

    private RunResult runOffline(String name, List<RunEvent> events) {
        TeamDefinition def = TeamLoader.load(TeamLoader.BUILTIN + name);
        ModelBackend offline = def.resolve(def.offlineModel().orElseThrow(), NO_ENV);
        RunResult result = def.toBuilder(offline, NO_ENV).workspace(workspace).listener(new RunListener() {
            @Override
            public void on(RunEvent e) {
                events.add(e);
            }
        }).build().run(def.idea().orElseThrow());
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
    void softwareCompanyEngineerFailsTheTestsOnceReflectsOnTheWrongFileAndPassesThenTheNextRunPassesAtOnce() throws Exception {
        assumeTrue(python3OnPath(), "the software-company team runs its tests with python3, which is not on PATH");
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        // The reflection store is in the workspace by default: both runs share it, as two CLI runs share theirs.
        RunResult result = runOffline("software-company", events);

        assertThat(workspace.resolve("snake/game.py")).isRegularFile()
                .content().contains("0 <= head[0] < self.width");
        assertThat(workspace.resolve("tests/test_game.py")).isRegularFile()
                .content().contains("test_hitting_a_wall_ends_the_game");
        assertThat(result.documents().keySet())
                .containsExactlyInAnyOrder("WritePRD", "WriteDesign", "WriteTasks", "WriteTests", "WriteCode", "RunTests");
        // The tests come first; the code's trials are judged by them; QA's run on the delivered code passes.
        assertThat(result.messages().indexOf(result.documents().get("WriteTests").getFirst()))
                .isLessThan(result.messages().indexOf(result.documents().get("WriteCode").getFirst()));
        assertThat(result.documents().get("RunTests")).singleElement()
                .satisfies(m -> assertThat(m.payload().orElseThrow().path("passed").asBoolean()).isTrue());
        assertThat(result.payload("WriteCode").orElseThrow().path("files")).extracting(f -> f.path("path").asText())
                .containsExactly("snake/__init__.py", "snake/game.py", "snake/__main__.py");

        List<RunEvent.TrialEnded> trials = of(events, RunEvent.TrialEnded.class);
        assertThat(trials).extracting(RunEvent.TrialEnded::passed).containsExactly(false, true);
        assertThat(trials.getFirst().why()).contains("the tests failed (exit 1)").contains("FAIL: test_hitting_a_wall_ends_the_game");
        assertThat(of(events, RunEvent.Reflected.class)).singleElement().satisfies(r -> {
            assertThat(r.step()).as("the step that wrote game.py, numbered from 1").isEqualTo(2);
            assertThat(r.correctedAction()).startsWith("write_file").contains("snake/game.py");
        });
        assertThat(of(events, RunEvent.TrialStep.class)).filteredOn(s -> s.attempt() == 2)
                .extracting(s -> s.step() + " " + s.how())
                .containsExactly("1 replayed", "2 forced by reflection", "3 planned");

        events.clear();
        RunResult again = runOffline("software-company", events);
        assertThat(again.documents().get("WriteCode")).singleElement()
                .satisfies(m -> assertThat(m.content()).isEqualTo(result.documents().get("WriteCode").getFirst().content()));
        assertThat(of(events, RunEvent.LessonsLoaded.class)).singleElement()
                .satisfies(l -> assertThat(l.lessons()).singleElement().asString().startsWith("step 2: game.py's wall check"));
        assertThat(of(events, RunEvent.TrialEnded.class)).extracting(RunEvent.TrialEnded::passed).containsExactly(true);
    }

    private static <T> List<T> of(List<RunEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
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
