package dev.troupe.cli;

import static dev.troupe.cli.CliRun.troupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.troupe.memory.journal.JdbcRunJournal;
import dev.troupe.memory.journal.JournaledRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on the command line: every run is journaled, listed, shown, and resumed with --resume. */
class RunsCommandTest {
    private static final Pattern RUN_ID = Pattern.compile("Run ([0-9a-f-]{36}) of team");

    private static String runId(CliRun run) {
        Matcher m = RUN_ID.matcher(run.out());
        assertThat(m.find()).as("a run id in: " + run.out()).isTrue();
        return m.group(1);
    }


    @Test
    void aRunOutOfBudgetResumesAndMakesOnlyTheCallsItHadNotMade(@TempDir Path dir) {
        String ws = dir.resolve("ws").toString();
        CliRun stopped = troupe("run", "demo", "--model", "dry-run", "--workspace", ws, "--budget-tokens", "100");
        assertThat(stopped.exit()).isEqualTo(1);
        assertThat(stopped.out()).contains("BUDGET_EXCEEDED");
        String id = runId(stopped);
        assertThat(stopped.err()).contains("troupe: run " + id + " is journaled in sqlite:")
                .contains("resume it with: troupe run demo --resume " + id + " --workspace " + ws);

        CliRun show = troupe("runs", "show", id.substring(0, 8), "--workspace", ws);
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("Run " + id + " of team demo: BUDGET_EXCEEDED (attempt 1)")
                .contains("action   Alice/WritePRD (1 model call)").contains("message  UserRequirement from user (round 0)")
                .contains("It stopped; continue it with: troupe run demo --resume " + id + " --workspace " + ws);

        CliRun resumed = troupe("run", "demo", "--model", "dry-run", "--workspace", ws, "--resume", id.substring(0, 8), "-q");

        assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.out()).contains("Run " + id + " of team demo: SUCCEEDED").contains("ReviewPlan by Dan");
        try (JdbcRunJournal journal = JdbcRunJournal.inWorkspace(Path.of(ws))) {
            JournaledRun run = journal.load(id).orElseThrow();
            assertThat(run.summary().attempts()).isEqualTo(2);
            assertThat(run.actions()).extracting(a -> a.attempt() + " " + a.entry().action())
                    .containsExactlyInAnyOrder("1 WritePRD", "2 SketchDesign", "2 WriteTestPlan", "2 ReviewPlan");
            assertThat(run.summary().modelCalls()).as("a demo run makes four model calls").isEqualTo(4);
        }
        CliRun list = troupe("runs", "list", "--workspace", ws);
        assertThat(list.out()).containsPattern(id + "\\s+demo\\s+SUCCEEDED\\s+2\\s");
    }

    @Test
    void thePrintedResumeCommandKeepsTheModelAndTheLimitsOfTheRun(@TempDir Path dir) {
        String ws = dir.resolve("ws").toString();
        CliRun stopped = troupe("run", "demo", "--model", "dry-run", "--workspace", ws, "--max-rounds", "7", "--timeout", "PT5M");
        String id = runId(stopped);

        assertThat(stopped.err()).contains("resume it with: troupe run demo --resume " + id + " --workspace " + ws
                + " --model dry-run --max-rounds 7 --timeout PT5M");
    }

    @Test
    void runsListFindsTheRunsOfTheDefaultWorkspaces() {
        CliRun run = troupe("run", "demo", "--model", "dry-run", "-q");
        assertThat(run.exit()).isZero();

        CliRun list = troupe("runs", "list");

        assertThat(list.exit()).isZero();
        assertThat(list.out()).startsWith("run ").containsPattern(runId(run) + "\\s+demo\\s+SUCCEEDED\\s+1\\s");
        assertThat(troupe("runs", "show", runId(run)).out()).contains("troupe-workspace" + java.io.File.separator + "demo-");
    }

    @Test
    void mistakesAreBadInputThatSayWhatToDo(@TempDir Path dir) {
        String ws = dir.resolve("ws").toString();
        String id = runId(troupe("run", "demo", "--model", "dry-run", "--workspace", ws, "-q"));

        CliRun unknown = troupe("runs", "show", "feedbeef", "--workspace", ws);
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("No run 'feedbeef' in sqlite:").contains("'troupe runs list' shows the runs");

        CliRun withIdea = troupe("run", "demo", "--model", "dry-run", "--workspace", ws, "--resume", id, "--idea", "other");
        assertThat(withIdea.exit()).isEqualTo(2);
        assertThat(withIdea.err()).contains("--resume continues the run on the idea it started with");

        CliRun otherTeam = troupe("run", "research-report", "--model", "dry-run", "--workspace", ws, "--resume", id);
        assertThat(otherTeam.exit()).isEqualTo(2);
        assertThat(otherTeam.err()).contains("is a run of team 'demo', not of 'research-report'");

        CliRun noJournal = troupe("runs", "list", "--workspace", dir.resolve("empty").toString());
        assertThat(noJournal.exit()).isEqualTo(2);
        assertThat(noJournal.err()).contains("No run journal in").contains("--journal JDBC_URL");
    }

    @Test
    void noJournalLeavesNoJournalFile(@TempDir Path dir) {
        Path ws = dir.resolve("ws");
        CliRun run = troupe("run", "demo", "--model", "dry-run", "--workspace", ws.toString(), "--no-journal");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).doesNotContain("journaled");
        assertThat(ws.resolve(".troupe/troupe.db")).doesNotExist();
        assertThat(troupe("run", "demo", "--model", "dry-run", "--workspace", ws.toString(), "-q").exit()).isZero();
        assertThat(ws.resolve(".troupe/troupe.db")).as("journaled by default").exists();
    }

    @Test
    void aRunJournaledInPostgresqlIsListedAndResumedFromThere() throws Exception {
        String server = "jdbc:postgresql://127.0.0.1:5432/test";
        Properties user = new Properties();
        user.setProperty("user", "postgres");
        user.setProperty("connectTimeout", "3");
        String schema = "troupe_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = new org.postgresql.Driver().connect(server, user); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            assumeTrue(false, "PostgreSQL test skipped: no server answered at " + server + " as postgres: " + e.getMessage());
        }
        String url = server + "?user=postgres&currentSchema=" + schema;
        try {
            CliRun stopped = troupe("run", "demo", "--model", "dry-run", "--journal", url, "--budget-tokens", "100", "-q");
            assertThat(stopped.out()).contains("BUDGET_EXCEEDED");
            String id = runId(stopped);
            assertThat(troupe("runs", "list", "--journal", url).out()).containsPattern(id + "\\s+demo\\s+BUDGET_EXCEEDED");

            CliRun resumed = troupe("run", "demo", "--model", "dry-run", "--journal", url, "--resume", id, "-q");

            assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
            assertThat(troupe("runs", "show", id, "--journal", url).out()).contains("SUCCEEDED (attempt 2)").contains("4 model calls");
        } finally {
            try (Connection c = new org.postgresql.Driver().connect(server, user); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void showDocumentPrintsAWholeDocumentAndNamesTheActionsThatHaveOne(@TempDir Path dir) throws Exception {
        assumeTrue(CliRun.offline(), "a live model is configured in this environment");
        Path ws = dir.resolve("ws");
        CliRun run = troupe("run", "research-report", "-q", "--workspace", ws.toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        String id = runId(run);

        CliRun listing = troupe("runs", "show", id.substring(0, 8), "--workspace", ws.toString());
        assertThat(listing.out()).contains("A document in full: troupe runs show " + id + " --document WriteReport --workspace " + ws);
        CliRun report = troupe("runs", "show", id.substring(0, 8), "--workspace", ws.toString(), "--document", "WriteReport");
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(report.out().strip()).as("the whole Markdown report, as written")
                .isEqualTo(java.nio.file.Files.readString(ws.resolve("docs/WriteReport.md")).strip());
        assertThat(report.out().lines().count()).isGreaterThan(5);

        CliRun facts = troupe("runs", "show", id, "--workspace", ws.toString(), "--document", "CollectFacts");
        assertThat(facts.out()).startsWith("{\n  \"");

        CliRun unknown = troupe("runs", "show", id, "--workspace", ws.toString(), "--document", "WritePRD");
        assertThat(unknown.exit()).isEqualTo(TroupeCli.BAD_INPUT);
        assertThat(unknown.err()).contains("has no document of action 'WritePRD'; it has: CollectFacts, AnalyzeFacts, WriteReport.");
    }

}
