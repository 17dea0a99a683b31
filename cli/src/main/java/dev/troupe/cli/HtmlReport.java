package dev.troupe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.html.HtmlEscapers;
import dev.troupe.agents.event.ConsoleRenderer;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.core.security.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A self-contained HTML page about one run: what ran it (model, budget, date, version), the SOP
 * graph and a timeline as inline SVG that scale to the page (no scripts, nothing fetched), the
 * reflective trials and DFSDT search trees, every document, and the cost per role and action.
 */
final class HtmlReport {
    private static final int NODE_W = 180;
    private static final int NODE_H = 54;
    private static final int ROW_GAP = 56;
    private static final int COL_GAP = 40;
    /** Room on each side of the graph for hand-offs that skip a row or go back up, and their labels. */
    private static final int SIDE = 190;
    private static final int SIDE_STEP = 26;

    private static final Parser MARKDOWN = Parser.builder().build();
    // Documents come from a model: raw HTML in them is shown as text and link targets are made safe.
    private static final HtmlRenderer MARKDOWN_HTML = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true)
            .softbreak("<br>\n").build();
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** What ran the run, shown at the top of the report. */
    record Header(String description, String model, Budget budget, Instant startedAt, String troupeVersion) {}

    private HtmlReport() {}

    static void write(Path file, Header header, SopDiagram sop, RunResult result, List<StepTimeline.Step> steps, TrialTable trials)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Redactor.fromEnvironment().redact(render(header, sop, result, steps, trials)), StandardCharsets.UTF_8);
    }

    static String render(Header header, SopDiagram sop, RunResult result, List<StepTimeline.Step> steps, TrialTable trials) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Troupe run ")
                .append(esc(result.team())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;padding:0 1.5em;max-width:1100px;color:#222}")
                .append("svg{max-width:100%;height:auto}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("td:first-child,td:nth-child(2),th{text-align:left}")
                .append("pre{background:#f6f6f6;padding:1em;overflow:auto;white-space:pre;tab-size:4}")
                .append(".doc{border-left:3px solid #ccd;padding-left:1em}.file-name{font-family:monospace;font-weight:bold;margin:.8em 0 .2em}")
                .append(".meta{color:#555}.label{color:#a15c00;font-weight:bold}.status{font-size:1.3em}")
                .append(".passed{color:#176b2c}.failed{color:#a11}.reflection{background:#fff7e0;padding:.5em 1em;margin:.5em 0}")
                .append(".tree,.tree ul{list-style:none;padding-left:1.4em;border-left:1px dotted #999}")
                .append("</style></head><body>");
        h.append("<h1>Team ").append(esc(result.team())).append("</h1>");
        if (!header.description().isBlank()) {
            h.append("<p>").append(esc(header.description())).append("</p>");
        }
        h.append("<p class=\"meta\">Model <code>").append(esc(header.model())).append("</code> · budget ")
                .append(esc(budget(header.budget()))).append(" · started ").append(WHEN.format(header.startedAt()))
                .append(" · Troupe ").append(esc(header.troupeVersion())).append("</p>");
        h.append("<p class=\"status\">Run <code>").append(esc(result.runId())).append("</code>: <b>").append(result.status())
                .append("</b> in ").append(seconds(result.wallTime())).append(", ").append(String.format("%.4f", result.totalUsage().costUsd()))
                .append(" USD</p>");
        result.error().ifPresent(e -> h.append("<pre>").append(esc(e)).append("</pre>"));
        result.messages().stream().filter(m -> m.causeBy().equals(Message.USER_REQUIREMENT)).findFirst()
                .ifPresent(m -> h.append("<h2>Requirement</h2><pre>").append(esc(m.content())).append("</pre>"));

        h.append("<h2>SOP</h2>").append(graph(sop));
        h.append("<h2>Timeline</h2>").append(timeline(sop.roles(), steps, result.wallTime()));
        if (!trials.trials().isEmpty()) {
            h.append("<h2>Trials</h2>").append(trialsSection(trials));
        }
        List<RunEvent.SearchNode> nodes = trials.searchNodes();
        if (!nodes.isEmpty()) {
            h.append("<h2>Search trees</h2>").append(searchTrees(nodes));
        }
        h.append("<h2>Cost</h2>").append(costTable(result));
        h.append("<h2>Documents</h2>");
        Set<String> fileActions = WorkspaceDocuments.fileActions(sop.roles());
        for (Message m : result.messages()) {
            if (m.causeBy().equals(Message.USER_REQUIREMENT)) {
                continue;
            }
            String label = m.model().map(ConsoleRenderer::label).orElse("").strip();
            h.append("<h3>").append(esc(m.causeBy())).append(" <small>by ").append(esc(m.sender()))
                    .append(m.sendTo().isEmpty() ? "" : " to " + esc(String.join(", ", m.sendTo())))
                    .append(", round ").append(m.round()).append("</small>");
            if (!label.isEmpty()) {
                h.append(" <span class=\"label\">").append(esc(label)).append("</span>");
            }
            h.append("</h3><div class=\"doc\">").append(document(WorkspaceDocuments.Document.of(m, fileActions.contains(m.causeBy()))))
                    .append("</div>");
        }
        return h.append("</body></html>\n").toString();
    }

    static String document(WorkspaceDocuments.Document d) {
        return switch (d) {
            case WorkspaceDocuments.Document.Markdown md -> markdown(md.text());
            case WorkspaceDocuments.Document.Payload p -> payload(p.json());
            case WorkspaceDocuments.Document.WrittenFiles w -> {
                StringBuilder s = new StringBuilder();
                w.files().forEach(f -> s.append(file(f.path(), f.content())));
                yield s.toString();
            }
        };
    }

    /** Markdown as HTML; an image becomes a link to it, so that opening the report fetches nothing. */
    private static String markdown(String text) {
        Node doc = MARKDOWN.parse(text);
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(Image image) {
                Link link = new Link(image.getDestination(), image.getTitle());
                while (image.getFirstChild() != null) {
                    link.appendChild(image.getFirstChild());
                }
                image.insertAfter(link);
                image.unlink();
            }
        });
        return MARKDOWN_HTML.render(doc);
    }

    /** A JSON payload indented; a top-level text of several lines (a command's output) is shown below it with its lines kept. */
    private static String payload(JsonNode json) {
        if (!json.isObject()) {
            return "<pre>" + esc(json.toPrettyString()) + "</pre>";
        }
        ObjectNode shown = json.deepCopy();
        StringBuilder texts = new StringBuilder();
        json.properties().forEach(f -> {
            if (f.getValue().isTextual() && f.getValue().asText().contains("\n")) {
                shown.put(f.getKey(), "(" + f.getValue().asText().lines().count() + " lines, below)");
                texts.append(file(f.getKey(), f.getValue().asText()));
            }
        });
        return "<pre>" + esc(shown.toPrettyString()) + "</pre>" + texts;
    }

    private static String file(String path, String content) {
        return "<div class=\"file-name\">" + esc(path) + "</div><pre class=\"file\"><code>" + esc(content) + "</code></pre>";
    }

    /** The SOP laid out top-down, one row per layer, so a long chain grows down the page instead of past its edge. */
    static String graph(SopDiagram sop) {
        Map<Integer, List<String>> byLayer = new TreeMap<>();
        sop.layers().forEach((node, l) -> byLayer.computeIfAbsent(l, k -> new ArrayList<>()).add(node));
        List<List<String>> rows = new ArrayList<>(byLayer.values());
        int maxCols = rows.stream().mapToInt(List::size).max().orElse(1);
        int inner = maxCols * NODE_W + (maxCols - 1) * COL_GAP;
        Map<String, int[]> pos = new LinkedHashMap<>();
        Map<String, Integer> rowOf = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int rowW = row.size() * NODE_W + (row.size() - 1) * COL_GAP;
            for (int i = 0; i < row.size(); i++) {
                pos.put(row.get(i), new int[] {SIDE + (inner - rowW) / 2 + i * (NODE_W + COL_GAP), 20 + r * (NODE_H + ROW_GAP)});
                rowOf.put(row.get(i), r);
            }
        }
        int width = SIDE + inner + SIDE;
        int height = 40 + rows.size() * (NODE_H + ROW_GAP) - ROW_GAP;
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sop\" viewBox=\"0 0 " + width + " " + height
                + "\" width=\"" + width + "\" height=\"" + height + "\" font-size=\"12\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\""
                + " refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
        int left = 0;
        int right = 0;
        for (SopDiagram.Edge e : sop.edges()) {
            int[] a = pos.get(e.from());
            int[] b = pos.get(e.to());
            if (a == null || b == null) {
                continue;
            }
            int down = rowOf.get(e.to()) - rowOf.get(e.from());
            String path;
            int lx;
            int ly;
            String anchor;
            if (down == 1) {
                // The next row: straight down, the label beside the line's middle, clear of both nodes.
                int x1 = a[0] + NODE_W / 2;
                int y1 = a[1] + NODE_H;
                int x2 = b[0] + NODE_W / 2;
                int y2 = b[1];
                path = "M" + x1 + "," + y1 + " L" + x2 + "," + y2;
                lx = (x1 + x2) / 2 + 8;
                ly = (y1 + y2) / 2 + 4;
                anchor = "start";
            } else {
                // Skipping rows (left side) or going back up (right side): a curve around the nodes between.
                boolean back = down <= 0;
                int off = 36 + SIDE_STEP * (back ? right++ : left++);
                int x1 = back ? a[0] + NODE_W : a[0];
                int x2 = back ? b[0] + NODE_W : b[0];
                int y1 = a[1] + NODE_H / 2;
                int y2 = b[1] + NODE_H / 2 + (e.from().equals(e.to()) ? 12 : 0);
                int sign = back ? 1 : -1;
                int cx = (back ? Math.max(x1, x2) : Math.min(x1, x2)) + sign * off;
                path = "M" + x1 + "," + y1 + " C" + cx + "," + y1 + " " + cx + "," + y2 + " " + x2 + "," + y2;
                lx = (back ? Math.max(x1, x2) : Math.min(x1, x2)) + sign * (off * 3 / 4 + 4);
                ly = (y1 + y2) / 2 + 4;
                anchor = back ? "start" : "end";
            }
            s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#arrow)\"")
                    .append(e.addressed() ? " stroke-dasharray=\"5,4\"" : "").append("/>");
            s.append("<text class=\"edge\" x=\"").append(lx).append("\" y=\"").append(ly).append("\" text-anchor=\"").append(anchor)
                    .append("\" fill=\"#333\">").append(esc(e.action())).append("</text>");
        }
        for (Map.Entry<String, int[]> n : pos.entrySet()) {
            int[] p = n.getValue();
            Role role = sop.roles().stream().filter(r -> r.name().equals(n.getKey())).findFirst().orElse(null);
            s.append("<rect class=\"node\" x=\"").append(p[0]).append("\" y=\"").append(p[1]).append("\" width=\"").append(NODE_W)
                    .append("\" height=\"").append(NODE_H).append("\" rx=\"8\" fill=\"").append(role == null ? "#eef" : "#fff")
                    .append("\" stroke=\"#447\"/>");
            s.append("<text x=\"").append(p[0] + NODE_W / 2).append("\" y=\"").append(p[1] + (role == null ? 32 : 22))
                    .append("\" text-anchor=\"middle\" font-weight=\"bold\">").append(esc(n.getKey())).append("</text>");
            if (role != null) {
                s.append("<text x=\"").append(p[0] + NODE_W / 2).append("\" y=\"").append(p[1] + 40)
                        .append("\" text-anchor=\"middle\">").append(esc(role.profile())).append("</text>");
            }
        }
        return s.append("</svg>").toString();
    }

    private static String timeline(List<Role> roles, List<StepTimeline.Step> steps, Duration wall) {
        int labelW = 110;
        int width = 900;
        int rowH = 26;
        int w0 = labelW + width + 20;
        int h0 = roles.size() * rowH + 30;
        double total = Math.max(1, wall.toMillis());
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + w0 + " " + h0 + "\" width=\"" + w0
                + "\" height=\"" + h0 + "\" font-size=\"11\">");
        for (int i = 0; i < roles.size(); i++) {
            Role r = roles.get(i);
            int y = 10 + i * rowH;
            s.append("<text x=\"0\" y=\"").append(y + 15).append("\">").append(esc(r.name())).append("</text>");
            for (StepTimeline.Step st : steps) {
                if (!st.role().equals(r.name())) {
                    continue;
                }
                int x = labelW + (int) (st.start().toMillis() / total * width);
                int w = Math.max(3, (int) ((st.end().toMillis() - st.start().toMillis()) / total * width));
                s.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(w).append("\" height=\"")
                        .append(rowH - 6).append("\" fill=\"").append(st.failed() ? "#e88" : "#8ac").append("\"><title>")
                        .append(esc(st.action() + ", round " + st.round() + ": " + seconds(st.end().minus(st.start()))
                                + (st.note().isEmpty() ? "" : " — " + st.note())))
                        .append("</title></rect><text x=\"").append(x + 3).append("\" y=\"").append(y + 14).append("\">")
                        .append(esc(st.action())).append("</text>");
            }
        }
        s.append("<text x=\"").append(labelW).append("\" y=\"").append(roles.size() * rowH + 25).append("\">0 s</text>");
        s.append("<text x=\"").append(labelW + width).append("\" y=\"").append(roles.size() * rowH + 25)
                .append("\" text-anchor=\"end\">").append(seconds(wall)).append("</text>");
        return s.append("</svg>").toString();
    }

    /** Each trial of each reflective action: its steps, how it ended, and the reflection that followed a failure. */
    private static String trialsSection(TrialTable trials) {
        StringBuilder s = new StringBuilder();
        for (RunEvent.LessonsLoaded l : trials.lessonsLoaded()) {
            s.append("<p>").append(esc(l.role() + " / " + l.action())).append(" started with ").append(l.lessons().size())
                    .append(" stored lesson(s) of task <code>").append(esc(l.taskKey())).append("</code>:</p><ul>");
            l.lessons().forEach(lesson -> s.append("<li>").append(esc(lesson)).append("</li>"));
            s.append("</ul>");
        }
        String current = "";
        for (RunEvent.TrialEnded t : trials.trials()) {
            String heading = t.role() + " / " + t.action();
            if (!heading.equals(current)) {
                s.append("<h3>").append(esc(heading)).append("</h3>");
                current = heading;
            }
            s.append("<h4>Trial ").append(t.trial()).append(" <small>(attempt ").append(t.attempt()).append(" in this run, ")
                    .append(t.steps()).append(" step").append(t.steps() == 1 ? "" : "s").append(")</small>: ")
                    .append(t.passed() ? "<span class=\"passed\">✓ passed</span>" : "<span class=\"failed\">✗ failed</span>")
                    .append("</h4>");
            if (!t.passed() && !t.why().isBlank()) {
                s.append("<pre>").append(esc(t.why())).append("</pre>");
            }
            s.append("<ol>");
            for (RunEvent.TrialStep st : trials.steps(t)) {
                s.append("<li value=\"").append(st.step()).append("\">").append(st.failed() ? "<span class=\"failed\">✗</span> " : "")
                        .append("<code>").append(esc(clip(st.call(), 110))).append("</code> <small>").append(esc(st.how()))
                        .append("</small><details><summary>call and observation</summary>").append(call(st.call()))
                        .append("<pre>").append(esc(st.observation())).append("</pre></details></li>");
            }
            s.append("</ol>");
            for (RunEvent.Reflected r : trials.reflections(t)) {
                s.append("<div class=\"reflection\"><b>Reflection</b>: step ").append(r.step()).append(" was where it went wrong. ")
                        .append("<b>Lesson</b>: ").append(esc(r.lesson())).append("<br><b>Next trial takes</b>: <code>")
                        .append(esc(clip(r.correctedAction(), 110))).append("</code><details><summary>the corrected call</summary>")
                        .append(call(r.correctedAction())).append("</details></div>");
            }
        }
        return s.toString();
    }

    /** A step's call in full: a file it writes as the file, other arguments as indented JSON. */
    private static String call(String call) {
        int space = call.indexOf(' ');
        if (space < 0) {
            return "<pre>" + esc(call) + "</pre>";
        }
        try {
            JsonNode args = Json.MAPPER.readTree(call.substring(space + 1));
            if (args.path("path").isTextual() && args.path("content").isTextual()) {
                return file(args.get("path").asText(), args.get("content").asText());
            }
            return "<pre>" + esc(call.substring(0, space) + " " + args.toPrettyString()) + "</pre>";
        } catch (JsonProcessingException e) {
            return "<pre>" + esc(call) + "</pre>";   // not every tool call's arguments are JSON text
        }
    }

    /** A node of a DFSDT tree as the report draws it; backtracks and dead ends are notes on the node they happened at. */
    private record TreeNode(RunEvent.SearchNode event, List<TreeNode> children, List<String> notes) {}

    /** The DFSDT trees as nested lists; each root starts a new search (a later trial searches again). */
    private static String searchTrees(List<RunEvent.SearchNode> events) {
        List<Map<Integer, TreeNode>> trees = new ArrayList<>();
        for (RunEvent.SearchNode e : events) {
            if (e.parent() < 0 && e.kind().equals("root") || trees.isEmpty()) {
                trees.add(new LinkedHashMap<>());
            }
            Map<Integer, TreeNode> tree = trees.getLast();
            TreeNode known = tree.get(e.node());
            switch (e.kind()) {
                case "backtrack" -> {
                    if (known != null) {
                        known.notes().add("↺ backtracked here");
                    }
                }
                case "dead_end" -> {
                    if (known != null) {
                        known.notes().add("✗ dead end" + (e.detail().isBlank() ? "" : ": " + clip(e.detail(), 120)));
                    }
                }
                default -> {
                    TreeNode n = new TreeNode(e, new ArrayList<>(), new ArrayList<>());
                    tree.put(e.node(), n);
                    TreeNode parent = tree.get(e.parent());
                    if (parent != null) {
                        parent.children().add(n);
                    }
                }
            }
        }
        StringBuilder s = new StringBuilder();
        for (Map<Integer, TreeNode> tree : trees) {
            RunEvent.SearchNode first = tree.values().iterator().next().event();
            s.append("<h3>").append(esc(first.role() + " / " + first.action())).append(" <small>").append(tree.size())
                    .append(" nodes</small></h3><ul class=\"tree\">");
            tree.values().stream().filter(n -> !tree.containsKey(n.event().parent())).forEach(root -> appendNode(s, root));
            s.append("</ul>");
        }
        return s.toString();
    }

    private static void appendNode(StringBuilder s, TreeNode n) {
        RunEvent.SearchNode e = n.event();
        s.append("<li>#").append(e.node()).append(" <b>").append(esc(e.kind().replace('_', ' '))).append("</b> ")
                .append(esc(clip(e.detail(), 160)));
        n.notes().forEach(note -> s.append(" <small class=\"failed\">").append(esc(note)).append("</small>"));
        if (!n.children().isEmpty()) {
            s.append("<ul>");
            n.children().forEach(c -> appendNode(s, c));
            s.append("</ul>");
        }
        s.append("</li>");
    }

    private static String costTable(RunResult r) {
        StringBuilder s = new StringBuilder("<table><tr><th>role</th><th>action</th><th>calls</th><th>tokens in</th>"
                + "<th>tokens out</th><th>cost USD</th><th>time</th></tr>");
        r.usage().forEach((role, byAction) -> byAction.forEach((action, u) -> row(s, role, action, u)));
        row(s, "total", "", r.totalUsage());
        return s.append("</table>").toString();
    }

    private static void row(StringBuilder s, String role, String action, Usage u) {
        s.append("<tr><td>").append(esc(role)).append("</td><td>").append(esc(action)).append("</td><td>").append(u.calls())
                .append("</td><td>").append(String.format("%,d", u.inputTokens())).append("</td><td>")
                .append(String.format("%,d", u.outputTokens())).append("</td><td>").append(String.format("%.4f", u.costUsd()))
                .append("</td><td>").append(seconds(u.wallTime())).append("</td></tr>");
    }

    private static String budget(Budget b) {
        if (b.isUnlimited()) {
            return "unlimited";
        }
        List<String> parts = new ArrayList<>();
        if (b.maxUsd() != Double.POSITIVE_INFINITY) {
            parts.add(String.format("%.2f USD", b.maxUsd()));
        }
        if (b.maxTokens() != Long.MAX_VALUE) {
            parts.add(String.format("%,d tokens", b.maxTokens()));
        }
        return String.join(", ", parts);
    }

    private static String clip(String s, int max) {
        String line = s.replace('\n', ' ');
        return line.length() > max ? line.substring(0, max - 1) + "…" : line;
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static String esc(String s) {
        return HtmlEscapers.htmlEscaper().escape(s);
    }
}
