package dev.troupe.cli;

import static dev.troupe.cli.CliRun.offline;
import static dev.troupe.cli.CliRun.troupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on the built-in demo team, offline. */
class RunCommandTest {



    @Test
    void demoRunsOfflineOnTheBundledScriptAndSaysSo() {
        assumeTrue(offline(), "a live model is configured in this environment");
        CliRun o = troupe("run", "demo");
        assertThat(o.exit()).isZero();
        assertThat(o.err()).contains("offline model scripted:script.yaml").contains("scripted, not generated");
        assertThat(o.out()).contains("SUCCEEDED").contains("WritePRD by Alice: Terminal Snake")
                .contains("ReviewPlan by Dan: GO.").contains("[scripted model output]");
    }

    @Test
    void missingScriptFileIsBadInputNamingTheFile() {
        CliRun o = troupe("run", "demo", "--model", "scripted:does-not-matter.yaml", "--quiet");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("Scripted model file not found").contains("does-not-matter.yaml");
    }

    @Test
    void demoWithDryRunModelSucceedsAndLabelsPlaceholders() {
        CliRun o = troupe("run", "demo", "--model", "dry-run");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("SUCCEEDED").contains("ReviewPlan").contains("[dry-run placeholder]");
    }

    @Test
    void traceAndCassetteAreWrittenAndTheCassetteReplays(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.jsonl");
        Path cassette = dir.resolve("demo.cassette.jsonl");
        CliRun first = troupe("run", "demo", "--model", "dry-run", "--trace", trace.toString(), "--record", cassette.toString(), "-q");
        assertThat(first.exit()).isZero();
        assertThat(Files.readAllLines(trace)).anyMatch(l -> l.contains("\"type\":\"ModelCall\""))
                .anyMatch(l -> l.contains("\"type\":\"RunFinished\"") && l.contains("SUCCEEDED"));
        assertThat(Files.readAllLines(cassette)).hasSize(4);

        CliRun replay = troupe("run", "demo", "--model", "replay:" + cassette, "-q");
        assertThat(replay.exit()).isZero();
        assertThat(replay.out()).contains("SUCCEEDED").contains("[replayed output]");
    }

    @Test
    void unknownTeamIsBadInputWithTheKnownNames() {
        CliRun o = troupe("run", "no-such-team");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("Team file not found: no-such-team").contains("demo, software-company, research-report");
    }

    @Test
    void customIdeaWithoutAModelSaysHowToConfigureOne() {
        CliRun o = troupe("run", "demo", "--idea", "a todo app");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("OPENAI_API_KEY").contains("--model dry-run");
    }

    @Test
    void aSecondRunInAWorkspaceInUseIsRefusedNamingTheRunThatHoldsIt(@TempDir Path dir) {
        Path ws = dir.resolve("ws");
        try (WorkspaceLock held = WorkspaceLock.take(ws, "demo")) {
            CliRun second = troupe("run", "demo", "--model", "dry-run", "--workspace", ws.toString(), "-q");

            assertThat(second.exit()).isEqualTo(2);
            assertThat(second.err()).contains("is in use by another troupe run (pid " + ProcessHandle.current().pid() + ", team demo")
                    .contains("give this run its own --workspace").doesNotContain("Exception");
        }
        assertThat(troupe("run", "demo", "--model", "dry-run", "--workspace", ws.toString(), "-q").exit())
                .as("free again once the first run ends").isZero();
    }

    @Test
    void aTeamWhoseCommandsRunUnconfinedSaysSoOnEveryRun(@TempDir Path dir) throws Exception {
        String roles = """
                roles:
                  - name: Bob
                    watch: [UserRequirement]
                    actions:
                      - {name: Check, run: {command: "echo checked"}}
                """;
        Path loose = java.nio.file.Files.writeString(dir.resolve("loose.yaml"), "name: loose\nsandbox: none\n" + roles);
        Path confined = java.nio.file.Files.writeString(dir.resolve("confined.yaml"), "name: confined\n" + roles);

        CliRun none = troupe("run", loose.toString(), "--model", "dry-run", "--idea", "x", "--workspace", dir.resolve("a").toString(), "-q");
        assertThat(none.exit()).as(none.err()).isZero();
        assertThat(none.err()).contains("troupe: warning: team 'loose' runs its commands without a sandbox (sandbox: none)");

        CliRun optedOut = troupe("run", confined.toString(), "--model", "dry-run", "--idea", "x", "--no-sandbox",
                "--workspace", dir.resolve("b").toString(), "-q");
        assertThat(optedOut.exit()).as(optedOut.err()).isZero();
        assertThat(optedOut.err()).contains("without a sandbox (--no-sandbox)");

        CliRun sandboxed = troupe("run", confined.toString(), "--model", "dry-run", "--idea", "x", "--workspace", dir.resolve("c").toString(), "-q");
        assertThat(sandboxed.exit()).as(sandboxed.err()).isZero();
        assertThat(sandboxed.err()).doesNotContain("without a sandbox");
    }

    @Test
    void unknownFlagIsBadInput() {
        CliRun o = troupe("run", "demo", "--no-such-flag");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("--no-such-flag");
    }

    @Test
    void exhaustedBudgetExitsWithOne() {
        CliRun o = troupe("run", "demo", "--model", "dry-run", "--budget-tokens", "100", "-q");
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.out()).contains("BUDGET_EXCEEDED");
    }

    @Test
    void softwareCompanyRunsOfflineWritesTheProgramAndItsTestsReallyPass(@TempDir Path dir) throws Exception {
        assumeTrue(offline(), "a live model is configured in this environment");
        assumeTrue(onPath("python3"), "python3 is not on PATH; the software-company's tests run with it");
        Path ws = dir.resolve("ws");
        Path report = dir.resolve("report.html");
        String memory = "jdbc:sqlite:" + dir.resolve("memory.db");
        CliRun o = troupe("run", "software-company", "--workspace", ws.toString(), "--report", report.toString(), "--memory", memory);
        assertThat(o.exit()).as(o.out() + o.err()).isZero();
        assertThat(o.out()).contains("✗ trial 1 failed: The judge rejected the answer: the tests failed (exit 1): FAIL test_hitting_a_wall_ends_the_game:")
                .contains("✎ reflection: step 2 → write_file {\"path\":\"snake/game.py\"")
                .contains("trial 2 step 1 · write_file {\"path\":\"snake/__init__.py\",\"content\":\"\"}  (replayed)")
                .contains("trial 2 step 2 · write_file {\"path\":\"snake/game.py\"").contains("(forced by reflection)")
                .contains("✓ trial 2 passed").contains("SUCCEEDED");
        assertThat(ws.resolve("snake/game.py")).content().contains("0 <= head[0] < self.width");
        assertThat(ws.resolve("tests/test_game.py")).exists();
        for (String doc : new String[] {"WritePRD.json", "WriteDesign.json", "WriteTasks.json", "WriteCode.json", "WriteTests.json"}) {
            assertThat(ws.resolve("docs").resolve(doc)).exists();
        }
        assertThat(ws.resolve("docs/RunTests.json")).content().contains("\"passed\" : true");
        WorkspaceDocumentsTest.assertEveryDocumentIsInDocs(ws);
        assertThat(ws.resolve("docs/WriteCode/snake/game.py")).hasSameTextualContentAs(ws.resolve("snake/game.py"));
        Process check = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", "tests", "-t", ".")
                .directory(ws.toFile()).redirectErrorStream(true).start();
        assertThat(check.waitFor()).isZero();

        Path ws2 = dir.resolve("ws2");
        CliRun again = troupe("run", "software-company", "--workspace", ws2.toString(), "--memory", memory);
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("1 stored lesson(s) for task software-company/alex/writecode/a-command-line-snake-game-")
                .contains("✓ trial 1 passed").doesNotContain("trial 2");
        assertThat(ws2.resolve("snake/game.py")).content().contains("0 <= head[0] < self.width");

        String key = troupe("memory", "list", "--memory", memory).out().strip().split("\\s+")[0];
        CliRun show = troupe("memory", "show", key, "--memory", memory);
        assertThat(show.out()).as("steps numbered from 1, as in the console")
                .contains("  step 2: game.py's wall check")
                .contains("Trial 1 (run ").contains("failed, JUDGE_REJECTED: the tests failed (exit 1): FAIL test_hitting_a_wall_ends_the_game:")
                .contains("  1. write_file {\"path\":\"snake/__init__.py\",\"content\":\"\"} [OK] → wrote snake/__init__.py (0 lines)")
                .contains("  1. write_file {\"path\":\"snake/__init__.py\",\"content\":\"\"} [OK, replayed]")
                .contains("  2. write_file {\"path\":\"snake/game.py\"");

        String html = Files.readString(report);
        assertThat(html).contains("<h2>Trials</h2>").contains("<b>Reflection</b>: step 2 was where it went wrong.")
                .contains("<div class=\"file-name\">snake/game.py</div><pre class=\"file\"><code>");
        assertThat(html).contains("<svg").contains("Terminal Snake").contains("WriteCode").contains("[scripted model output]")
                .doesNotContain("<script").doesNotContainPattern("(src|href)=\"https?:");
    }

    @Test
    void researchReportRunsOfflineWithItsReactWriter() {
        assumeTrue(offline(), "a live model is configured in this environment");
        CliRun o = troupe("run", "research-report", "-q");
        assertThat(o.exit()).as(o.out() + o.err()).isZero();
        assertThat(o.out()).contains("WriteReport by Wendy: # Virtual threads for blocking web services");
    }

    @Test
    void validatePrintsTheSopAsMermaid() {
        CliRun o = troupe("validate", "software-company");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).startsWith("flowchart LR").contains("Alice -->|WritePRD| Bob").contains("Eve -->|WriteTasks| Edward")
                .contains("Edward -->|WriteTests| Alex").contains("Alex -->|WriteCode| Edward");
        assertThat(o.err()).contains("is valid");
    }

    @Test
    void validateAsTextShowsWhichActionRetriesUnderReflection() {
        CliRun o = troupe("validate", "software-company", "--format", "text");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("WriteCode: JSON document, writes files, reflective (tests judge, 3 trials), on WriteTests")
                .contains("WriteTests: JSON document, writes files, on WriteTasks");
    }

    @Test
    void validateReportsABadFileWithItsLineAndColumn(@TempDir Path dir) throws Exception {
        Path team = dir.resolve("team.yaml");
        Files.writeString(team, """
                name: broken
                roles:
                  - name: Alice
                    watchs: [UserRequirement]
                    actions:
                      - name: Hello
                        instruction: Say hello to {{requirement}}
                """);
        CliRun o = troupe("validate", team.toString(), "--format", "text");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("team.yaml:4:5").contains("unknown key 'watchs'").contains("did you mean 'watch'");
    }

    @Test
    void validateReportsATemplateFieldTheSchemaLacksWithTheNearestField(@TempDir Path dir) throws Exception {
        Path team = dir.resolve("team.yaml");
        Files.writeString(team, """
                name: triage
                roles:
                  - name: Triager
                    watch: [UserRequirement]
                    actions:
                      - name: Classify
                        instruction: Classify {{requirement}}
                        output: {schema: {type: object, properties: {severity: {type: string}}}}
                  - name: Writer
                    watch: [Classify]
                    actions:
                      - name: Report
                        instruction: Report the {{Classify.severty}} issue
                """);
        CliRun o = troupe("validate", team.toString(), "--format", "text");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("team.yaml:9:5")
                .contains("action 'Report' of role 'Writer' uses {{Classify.severty}}")
                .contains("did you mean 'severity'?")
                .doesNotContain("\tat ");
    }

    @Test
    void aUserTeamFileRunsWithItsOwnScriptNextToIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("script.yaml"), """
                replies:
                  - action: Hello
                    reply: Hello, world
                """);
        Path team = dir.resolve("team.yaml");
        Files.writeString(team, """
                name: greeter
                model: scripted:script.yaml
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - name: Hello
                        instruction: Say hello to {{requirement}}
                """);
        CliRun o = troupe("run", team.toString(), "--idea", "the world", "-q");
        assertThat(o.exit()).as(o.out() + o.err()).isZero();
        assertThat(o.out()).contains("Hello by Alice: Hello, world  [scripted model output]");
    }

    @Test
    void rolesListsTheBuiltInTeamsAndActions() {
        CliRun o = troupe("roles");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("software-company").contains("research-report").contains("demo")
                .contains("Alex (Engineer, by_order)").contains("builtin").contains("WritePRD");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void reflectionDemoFailsReflectsAndSucceedsThenReusesItsLessonOnTheNextRun(@TempDir Path dir) {
        assumeTrue(offline(), "a live model is configured in this environment");
        String memory = "jdbc:sqlite:" + dir.resolve("memory.db");
        CliRun first = troupe("run", "reflection-demo", "--memory", memory, "--workspace", dir.resolve("ws1").toString());
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("trial 1 step 2 ✗ getweather_for_city_weather")
                .contains("reflection: step 2 → getweather_for_city_weather {\"city_id\":\"FR-75\"}")
                .contains("(replayed (read-only, cached observation))").contains("(forced by reflection)")
                .contains("Forecast by Scout: It is 18 °C with light rain in Paris.");

        CliRun second = troupe("run", "reflection-demo", "--memory", memory, "--workspace", dir.resolve("ws2").toString());
        assertThat(second.exit()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("1 stored lesson(s) for task reflection-demo/weather-paris")
                .contains("✓ trial 1 passed").doesNotContain("trial 2");

        CliRun list = troupe("memory", "list", "--memory", memory);
        assertThat(list.out()).contains("reflection-demo/weather-paris").contains("lessons  1");
        CliRun cleared = troupe("memory", "clear", "reflection-demo/weather-paris", "--memory", memory);
        assertThat(cleared.out()).contains("Cleared");
    }
}
