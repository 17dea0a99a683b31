package dev.troupe.agents.reflection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reflective action that writes files: one write_file step per file, judged by a test command. */
class ReflectiveFileWritingTest {
    private static final String FILES_SCHEMA = """
            {"type": "object", "required": ["files"],
             "properties": {"files": {"type": "array", "minItems": 1,
               "items": {"type": "object", "required": ["path", "content"],
                         "properties": {"path": {"type": "string"}, "content": {"type": "string"}}}}}}
            """;

    /** Trial 1 writes b.txt wrong; the reflection names step 2 (b.txt) and the write that fixes it. */
    private static final String SCRIPT = """
            replies:
              - action: _stage
                when: "Step 3: write_file"
                reply: '{"actions": [], "answer": "all three files are written"}'
              - action: _stage
                when: "Step 2: write_file"
                reply: '{"actions": [{"tool": "write_file", "arguments": {"path": "c.txt", "content": "three"}}]}'
              - action: _stage
                when: "Steps so far\\nnone"
                reply: |
                  {"actions": [{"tool": "write_file", "arguments": {"path": "a.txt", "content": "one"}},
                               {"tool": "write_file", "arguments": {"path": "b.txt", "content": "wrong"}},
                               {"tool": "write_file", "arguments": {"path": "c.txt", "content": "three"}}]}
              - action: _reflect
                reply: '{"step": 2, "lesson": "b.txt must say ok", "corrected_action": {"tool": "write_file", "arguments": {"path": "b.txt", "content": "ok"}}}'
            """;

    private static TrialFixtures.Recorded run(JdbcReflectionStore store, Path workspace, String script) {
        Role builder = Role.builder("Builder").watch(Message.USER_REQUIREMENT)
                .actions(Action.builder("Build").instruction("Write a.txt, b.txt and c.txt for: {{requirement}}")
                        .schema(Fakes.json(FILES_SCHEMA)).writesFiles(true)
                        .reflection(ReflectionSettings.defaults().withTests(CommandSpec.of("grep -qx ok b.txt"))
                                .withJudge(ReflectionSettings.Judge.TESTS))
                        .build())
                .build();
        return TrialFixtures.run(Team.builder("files").role(builder).workspace(workspace).reflectionStore(store),
                Fakes.script(script), "three files");
    }

    @Test
    void failingTestsAreReflectedOnAndTheNextTrialRewritesEarlierFilesForcesTheFixAndPasses(@TempDir Path dir) throws Exception {
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir.resolve("memory"))) {
            Path ws = dir.resolve("ws");
            TrialFixtures.Recorded o = run(store, ws, SCRIPT);

            assertThat(o.result().status()).as(o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(o.events(RunEvent.TrialEnded.class)).extracting(RunEvent.TrialEnded::passed).containsExactly(false, true);
            assertThat(o.events(RunEvent.TrialEnded.class).getFirst().why()).contains("the tests failed (exit 1)");
            assertThat(o.events(RunEvent.Reflected.class)).singleElement()
                    .satisfies(r -> assertThat(r.step()).isEqualTo(2))
                    .satisfies(r -> assertThat(r.correctedAction()).contains("b.txt").contains("ok"));
            List<RunEvent.TrialStep> second = o.events(RunEvent.TrialStep.class).stream().filter(s -> s.attempt() == 2).toList();
            assertThat(second).extracting(RunEvent.TrialStep::step).containsExactly(1, 2, 3);
            assertThat(second).extracting(RunEvent.TrialStep::how).containsExactly("replayed", "forced by reflection", "planned");
            // Writing is a side effect: the replayed step wrote a.txt again.
            assertThat(o.events(RunEvent.ToolCall.class)).filteredOn(t -> t.arguments().contains("a.txt")).hasSize(2);
            assertThat(Files.readString(ws.resolve("b.txt"))).isEqualTo("ok");
            // The document is what the passing trial wrote, each file once.
            assertThat(o.result().payload("Build").orElseThrow().path("files").toString())
                    .isEqualTo("[{\"path\":\"a.txt\",\"content\":\"one\"},{\"path\":\"b.txt\",\"content\":\"ok\"},"
                            + "{\"path\":\"c.txt\",\"content\":\"three\"}]");
            // The planner is shown its tool, and no JSON output format that would contradict planning.
            String firstStage = o.requests().getFirst().promptText();
            assertThat(firstStage).contains("write_file(path, content)").doesNotContain("## Output format");
        }
    }

    @Test
    void theNextRunOfTheTaskStartsWithTheLessonAndPassesOnItsFirstTrial(@TempDir Path dir) throws Exception {
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir.resolve("memory"))) {
            run(store, dir.resolve("ws1"), SCRIPT);
            Path ws2 = dir.resolve("ws2");
            TrialFixtures.Recorded second = run(store, ws2, SCRIPT);

            assertThat(second.result().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(second.events(RunEvent.LessonsLoaded.class)).singleElement()
                    .satisfies(l -> assertThat(l.lessons()).containsExactly("step 2: b.txt must say ok"));
            assertThat(second.events(RunEvent.TrialEnded.class)).extracting(RunEvent.TrialEnded::passed).containsExactly(true);
            assertThat(second.requests()).extracting(ModelRequest::action).doesNotContain("_reflect");
            assertThat(second.requests().getFirst().promptText()).contains("Lessons from earlier trials")
                    .contains("At step 2: b.txt must say ok");
            assertThat(Files.readString(ws2.resolve("a.txt"))).as("replayed into this run's workspace").isEqualTo("one");
            assertThat(Files.readString(ws2.resolve("b.txt"))).isEqualTo("ok");
        }
    }

    @Test
    void aReflectionNamingAStepBeyondTheTrialIsReAskedInTheNumberingTheModelWasShown(@TempDir Path dir) {
        String script = SCRIPT.replace("""
                  - action: _reflect
                """, """
                  - action: _reflect
                    times: 1
                    reply: '{"step": 9, "lesson": "somewhere", "corrected_action": {"tool": "write_file", "arguments": {"path": "b.txt", "content": "ok"}}}'
                  - action: _reflect
                """);
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir.resolve("memory"))) {
            TrialFixtures.Recorded o = run(store, dir.resolve("ws"), script);

            assertThat(o.result().status()).isEqualTo(RunStatus.SUCCEEDED);
            List<ModelRequest> reflections = o.requests().stream().filter(r -> r.action().equals("_reflect")).toList();
            assertThat(reflections).hasSize(2);
            assertThat(reflections.get(1).promptText()).contains("you named step 9 but the attempt has 3 steps; name one of steps 1..3");
        }
    }
}
