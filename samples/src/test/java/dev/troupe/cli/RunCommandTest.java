package dev.troupe.cli;

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

    private record Outcome(int exit, String out, String err) {}

    private static Outcome troupe(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = TroupeCli.execute(args);
            return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void demoRunsOfflineOnTheBundledScriptAndSaysSo() {
        assumeTrue(System.getenv("OPENAI_API_KEY") == null && System.getenv("OPENAI_BASE_URL") == null
                && System.getenv("OLLAMA_BASE_URL") == null, "a live model is configured in this environment");
        Outcome o = troupe("run", "demo");
        assertThat(o.exit()).isZero();
        assertThat(o.err()).contains("offline model scripted:script.yaml").contains("scripted, not generated");
        assertThat(o.out()).contains("SUCCEEDED").contains("WritePRD by Alice: Terminal Snake")
                .contains("ReviewPlan by Dan: GO.").contains("[scripted model output]");
    }

    @Test
    void missingScriptFileIsBadInputNamingTheFile() {
        Outcome o = troupe("run", "demo", "--model", "scripted:does-not-matter.yaml", "--quiet");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("Scripted model file not found").contains("does-not-matter.yaml");
    }

    @Test
    void demoWithDryRunModelSucceedsAndLabelsPlaceholders() {
        Outcome o = troupe("run", "demo", "--model", "dry-run");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("SUCCEEDED").contains("ReviewPlan").contains("[dry-run placeholder]");
    }

    @Test
    void traceAndCassetteAreWrittenAndTheCassetteReplays(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.jsonl");
        Path cassette = dir.resolve("demo.cassette.jsonl");
        Outcome first = troupe("run", "demo", "--model", "dry-run", "--trace", trace.toString(), "--record", cassette.toString(), "-q");
        assertThat(first.exit()).isZero();
        assertThat(Files.readAllLines(trace)).anyMatch(l -> l.contains("\"type\":\"ModelCall\""))
                .anyMatch(l -> l.contains("\"type\":\"RunFinished\"") && l.contains("SUCCEEDED"));
        assertThat(Files.readAllLines(cassette)).hasSize(4);

        Outcome replay = troupe("run", "demo", "--model", "replay:" + cassette, "-q");
        assertThat(replay.exit()).isZero();
        assertThat(replay.out()).contains("SUCCEEDED").contains("[replayed output]");
    }

    @Test
    void unknownTeamIsBadInputWithTheKnownNames() {
        Outcome o = troupe("run", "no-such-team");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("Team file not found: no-such-team").contains("demo, software-company, research-report");
    }

    @Test
    void customIdeaWithoutAModelSaysHowToConfigureOne() {
        Outcome o = troupe("run", "demo", "--idea", "a todo app");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("OPENAI_API_KEY").contains("--model dry-run");
    }

    @Test
    void unknownFlagIsBadInput() {
        Outcome o = troupe("run", "demo", "--no-such-flag");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("--no-such-flag");
    }

    @Test
    void exhaustedBudgetExitsWithOne() {
        Outcome o = troupe("run", "demo", "--model", "dry-run", "--budget-tokens", "100", "-q");
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.out()).contains("BUDGET_EXCEEDED");
    }
}
