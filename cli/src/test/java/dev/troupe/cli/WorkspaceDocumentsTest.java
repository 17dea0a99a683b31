package dev.troupe.cli;

import static dev.troupe.cli.CliRun.offline;
import static dev.troupe.cli.CliRun.troupe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.memory.journal.JdbcRunJournal;
import dev.troupe.memory.journal.JournaledRun;
import dev.troupe.memory.journal.MessageEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every action's latest document is left under the workspace's {@code docs/}: Markdown as .md, a JSON
 * payload as .json, written files as files. software-company and api-agent are checked by their own
 * sample tests ({@link #assertEveryDocumentIsInDocs}), which already run them.
 */
class WorkspaceDocumentsTest {

    /** Checks the docs folder of a run's workspace against the run's journal: one entry for each action's latest document. */
    static void assertEveryDocumentIsInDocs(Path ws) throws IOException {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        try (JdbcRunJournal journal = JdbcRunJournal.inWorkspace(ws)) {
            // The docs folder holds the documents of the workspace's latest run.
            String newest = journal.list().stream().max(java.util.Comparator.comparing(r -> r.startedAt())).orElseThrow().runId();
            JournaledRun run = journal.load(newest).orElseThrow();
            for (var m : run.messages()) {
                MessageEntry e = m.entry();
                if (!e.causeBy().equals("UserRequirement")) {
                    latest.put(e.causeBy(), Json.MAPPER.readTree(e.json()));
                }
            }
        }
        assertThat(latest).isNotEmpty();
        Path docs = ws.resolve("docs");
        latest.forEach((action, message) -> {
            JsonNode payload = message.path("payload");
            try {
                if (payload.isMissingNode() || payload.isNull()) {
                    assertThat(docs.resolve(action + ".md")).content().isEqualToIgnoringWhitespace(message.path("content").asText());
                } else if (payload.path("files").isArray() && payload.path("files").path(0).has("content")) {
                    for (JsonNode f : payload.get("files")) {
                        assertThat(docs.resolve(action).resolve(f.get("path").asText())).as("%s wrote %s", action, f.get("path"))
                                .hasContent(f.get("content").asText());
                    }
                    assertThat(Files.readString(docs.resolve(action + ".json"))).contains(payload.get("files").get(0).get("path").asText())
                            .as("the index lists paths, not contents").doesNotContain("\\n");
                } else {
                    assertThat(Json.MAPPER.readTree(docs.resolve(action + ".json").toFile())).isEqualTo(payload);
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "research-report", "reflection-demo"})
    void everyActionsLatestDocumentIsInTheWorkspacesDocsFolder(String team, @TempDir Path dir) throws IOException {
        assumeTrue(offline(), "a live model is configured in this environment");
        Path ws = dir.resolve("ws");
        CliRun run = troupe("run", team, "-q", "--workspace", ws.toString(), "--memory", "jdbc:sqlite:" + dir.resolve("memory.db"));

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Whole documents: " + ws.resolve("docs").toAbsolutePath());
        assertEveryDocumentIsInDocs(ws);
    }

    @Test
    void researchReportsMarkdownReportIsAWholeMarkdownFile(@TempDir Path dir) throws IOException {
        assumeTrue(offline(), "a live model is configured in this environment");
        Path ws = dir.resolve("ws");
        assertThat(troupe("run", "research-report", "-q", "--workspace", ws.toString()).exit()).isZero();

        String report = Files.readString(ws.resolve("docs/WriteReport.md"));
        assertThat(report).startsWith("# Virtual threads for blocking web services");
        assertThat(report.lines().count()).as("the whole report, not its first line").isGreaterThan(5);
        assertThat(ws.resolve("docs/CollectFacts.json")).exists();
    }
}
