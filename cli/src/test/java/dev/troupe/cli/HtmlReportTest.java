package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.roles.TeamLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTML report: a graph that fits the page, documents shown as what they are, trials and search trees, and who ran it. */
class HtmlReportTest {
    private static final Instant START = Instant.parse("2026-12-01T10:15:30Z");
    /** The report's body is at most 1,100 px wide, which a 1,280 px window shows whole. */
    private static final int PAGE_WIDTH = 1100;

    private static List<Role> roles(String team) {
        ModelResolver resolver = ModelResolver.standard();
        return TeamLoader.load(team).toBuilder(resolver.resolve("dry-run"), resolver).build().roles();
    }

    private static RunResult result(List<Message> messages) {
        return new RunResult("run-1", "software-company", RunStatus.SUCCEEDED, ImmutableList.copyOf(messages), ImmutableMap.of(),
                Usage.ZERO, Duration.ofSeconds(3), Optional.empty(), Optional.empty());
    }

    private static String render(String team, List<Message> messages, TrialTable trials) {
        return HtmlReport.render(new HtmlReport.Header("A team.", "scripted:script.yaml", new Budget(3.0, 2_000_000), START, "0.1.0"),
                new SopDiagram(roles(team)), result(messages), List.of(), trials);
    }

    private static Message doc(String action, String sender, String content) {
        return Message.builder().runId("run-1").round(1).sender(sender).causeBy(action).content(content).build();
    }

    static List<String> builtinTeams() {
        return TeamLoader.builtinNames();
    }

    private record Box(int x, int y, int w, int h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }
    }

    @ParameterizedTest
    @MethodSource("builtinTeams")
    void theSopGraphScalesToThePageAndIsNarrowerThanItForEveryBuiltInTeam(String team) {
        String svg = HtmlReport.graph(new SopDiagram(roles(team)));

        Matcher m = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\" width=\"(\\d+)\"").matcher(svg);
        assertThat(m.find()).as(svg).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("natural width of " + team + "'s graph").isLessThanOrEqualTo(PAGE_WIDTH);
        assertThat(render(team, List.of(), new TrialTable())).contains("svg{max-width:100%;height:auto}");
    }

    @ParameterizedTest
    @MethodSource("builtinTeams")
    void noHandOffLabelOverlapsARoleOrTheRequirement(String team) {
        String svg = HtmlReport.graph(new SopDiagram(roles(team)));
        List<Box> nodes = new ArrayList<>();
        Matcher rect = Pattern.compile("<rect class=\"node\" x=\"(-?\\d+)\" y=\"(-?\\d+)\" width=\"(\\d+)\" height=\"(\\d+)\"").matcher(svg);
        while (rect.find()) {
            nodes.add(new Box(Integer.parseInt(rect.group(1)), Integer.parseInt(rect.group(2)), Integer.parseInt(rect.group(3)),
                    Integer.parseInt(rect.group(4))));
        }
        assertThat(nodes).hasSize(roles(team).size() + 1);
        Matcher label = Pattern.compile("<text class=\"edge\" x=\"(-?\\d+)\" y=\"(-?\\d+)\" text-anchor=\"(\\w+)\"[^>]*>([^<]*)</text>").matcher(svg);
        int labels = 0;
        while (label.find()) {
            labels++;
            int x = Integer.parseInt(label.group(1));
            int baseline = Integer.parseInt(label.group(2));
            int w = label.group(4).length() * 7;   // 12 px sans-serif: at most ~7 px a character
            Box box = new Box(label.group(3).equals("end") ? x - w : x, baseline - 12, w, 15);
            assertThat(box.x()).as("label '%s' inside the picture", label.group(4)).isGreaterThanOrEqualTo(0);
            nodes.forEach(n -> assertThat(box.overlaps(n)).as("label '%s' %s over node %s", label.group(4), box, n).isFalse());
        }
        assertThat(labels).as("every hand-off is labelled").isEqualTo(new SopDiagram(roles(team)).edges().size());
    }

    @Test
    void markdownIsRenderedAndRawHtmlAndScriptLinksFromTheModelAreDefused() {
        String html = HtmlReport.document(new WorkspaceDocuments.Document.Markdown("""
                # Virtual threads

                They **help** blocking services.

                <script>alert('x')</script>

                <img src=x onerror="alert(1)">

                [click](javascript:alert(1)) and <a href="javascript:alert(2)">raw</a>
                """));

        assertThat(html).contains("<h1>Virtual threads</h1>").contains("<strong>help</strong>")
                .contains("&lt;script&gt;alert('x')&lt;/script&gt;").contains("&lt;img src=x onerror=")
                .doesNotContain("<script").doesNotContain("<img").doesNotContain("href=\"javascript:").doesNotContain("<a href=\"javascript");
    }

    @Test
    void anImageInAModelsMarkdownBecomesALinkSoTheReportFetchesNothing() {
        String html = HtmlReport.document(new WorkspaceDocuments.Document.Markdown("See ![the chart](https://tracker.example/p.png \"t\")."));

        assertThat(html).doesNotContain("<img").contains("href=\"https://tracker.example/p.png\" title=\"t\">the chart</a>");
    }

    @Test
    void filesAnActionWroteAreShownAsFilesWithTheirLinesAndIndentation() {
        Message code = Message.builder().runId("run-1").round(3).sender("Alex").causeBy("WriteCode").content("{}")
                .payload(dev.troupe.agents.json.internal.Json.MAPPER.createObjectNode().set("files", dev.troupe.agents.json.internal.Json.MAPPER
                        .createArrayNode().add(dev.troupe.agents.json.internal.Json.MAPPER.createObjectNode().put("path", "snake/game.py")
                                .put("content", "def step(self):\n    if self.over:\n        return\n"))))
                .build();

        String html = render("software-company", List.of(code), new TrialTable());

        assertThat(html).contains("<div class=\"file-name\">snake/game.py</div><pre class=\"file\"><code>"
                + "def step(self):\n    if self.over:\n        return\n</code></pre>").doesNotContain("\\n");
    }

    @Test
    void aCommandsOutputInAJsonPayloadKeepsItsLines() {
        var json = dev.troupe.agents.json.internal.Json.MAPPER.createObjectNode().put("passed", false).put("exitCode", 1)
                .put("output", "test_a ... ok\ntest_b ... FAIL\n");

        String html = HtmlReport.document(new WorkspaceDocuments.Document.Payload(json));

        assertThat(html).contains("&quot;passed&quot; : false").contains("&quot;output&quot; : &quot;(2 lines, below)&quot;")
                .contains("<div class=\"file-name\">output</div><pre class=\"file\"><code>test_a ... ok\ntest_b ... FAIL\n</code></pre>")
                .doesNotContain("\\n");
    }

    @Test
    void theHeaderSaysWhichModelWhatBudgetWhenAndWhichVersion() {
        String html = render("software-company", List.of(doc("WritePRD", "Alice", "# PRD")), new TrialTable());

        assertThat(html).contains("Model <code>scripted:script.yaml</code>").contains("budget 3.00 USD, 2,000,000 tokens")
                .contains("started 2026-12-01 10:15:30 UTC").contains("Troupe 0.1.0");
    }

    @Test
    void trialsShowEachTrialItsStepsTheReflectionAndTheLessonsLoaded() {
        TrialTable trials = new TrialTable();
        Instant t = START;
        trials.onLessonsLoaded(new RunEvent.LessonsLoaded("run-1", t, "Alex", "WriteCode", "sc/alex/writecode/snake",
                List.of("step 2: check the wall before moving")));
        trials.onTrialStep(new RunEvent.TrialStep("run-1", t, "Alex", "WriteCode", 1, 1,
                "write_file {\"path\":\"snake/game.py\",\"content\":\"x = 1\\nif x:\\n    pass\\n\"}", "planned", false, "wrote snake/game.py"));
        trials.onTrialEnded(new RunEvent.TrialEnded("run-1", t, "Alex", "WriteCode", 1, 1, 1, false, "JUDGE_REJECTED",
                "the tests failed: FAIL test_wall"));
        trials.onReflected(new RunEvent.Reflected("run-1", t, "Alex", "WriteCode", 1, 1, "game.py's wall check is off by one",
                "write_file {\"path\":\"snake/game.py\"}"));
        trials.onTrialStep(new RunEvent.TrialStep("run-1", t, "Alex", "WriteCode", 2, 1, "write_file {\"path\":\"snake/game.py\"}",
                "forced by reflection", false, "wrote snake/game.py"));
        trials.onTrialEnded(new RunEvent.TrialEnded("run-1", t, "Alex", "WriteCode", 2, 2, 1, true, "SUCCESS", ""));

        String html = render("software-company", List.of(), trials);

        assertThat(html).contains("<h2>Trials</h2>").contains("<h3>Alex / WriteCode</h3>")
                .contains("stored lesson(s) of task <code>sc/alex/writecode/snake</code>").contains("<li>step 2: check the wall before moving</li>")
                .contains("Trial 1 <small>(attempt 1 in this run, 1 step)</small>: <span class=\"failed\">✗ failed</span>")
                .contains("<pre>the tests failed: FAIL test_wall</pre>")
                .contains("<pre class=\"file\"><code>x = 1\nif x:\n    pass\n</code></pre>")
                .contains("<b>Reflection</b>: step 1 was where it went wrong. <b>Lesson</b>: game.py&#39;s wall check is off by one")
                .contains("<small>forced by reflection</small>")
                .contains("Trial 2 <small>(attempt 2 in this run, 1 step)</small>: <span class=\"passed\">✓ passed</span>");
        assertThat(html.indexOf("Reflection</b>")).as("the reflection follows the trial it explains")
                .isBetween(html.indexOf("Trial 1 <small>"), html.indexOf("Trial 2 <small>"));
    }

    @Test
    void aDfsdtSearchIsDrawnAsATreeWithItsBacktracksAndDeadEnds() {
        TrialTable trials = new TrialTable();
        List.of(new RunEvent.SearchNode("run-1", START, "Agent", "Answer", 0, -1, 0, "root", "the task"),
                new RunEvent.SearchNode("run-1", START, "Agent", "Answer", 1, 0, 1, "call", "stations_for_flixbus({})"),
                new RunEvent.SearchNode("run-1", START, "Agent", "Answer", 2, 1, 2, "give_up", "needs numeric ids"),
                new RunEvent.SearchNode("run-1", START, "Agent", "Answer", 1, 0, 1, "dead_end", "nothing useful"),
                new RunEvent.SearchNode("run-1", START, "Agent", "Answer", 0, -1, 0, "backtrack", "stations_for_flixbus"),
                new RunEvent.SearchNode("run-1", START, "Agent", "Answer", 3, 0, 1, "answer", "Trip 42 leaves at 9:00"))
                .forEach(trials::onSearchNode);

        String html = render("demo", List.of(), trials);

        assertThat(html).contains("<h2>Search trees</h2>").contains("<h3>Agent / Answer <small>4 nodes</small></h3>")
                .contains("<ul class=\"tree\"><li>#0 <b>root</b> the task <small class=\"failed\">↺ backtracked here</small>"
                        + "<ul><li>#1 <b>call</b> stations_for_flixbus({}) <small class=\"failed\">✗ dead end: nothing useful</small>"
                        + "<ul><li>#2 <b>give up</b> needs numeric ids</li></ul></li><li>#3 <b>answer</b> Trip 42 leaves at 9:00</li></ul>");
    }

    @Test
    void aReportWithoutTrialsOrSearchesHasNeitherSection() {
        String html = render("research-report", List.of(doc("WriteReport", "Wendy", "# Report\n\nText.")), new TrialTable());

        assertThat(html).doesNotContain("<h2>Trials</h2>").doesNotContain("<h2>Search trees</h2>").contains("<h1>Report</h1>");
    }
}
