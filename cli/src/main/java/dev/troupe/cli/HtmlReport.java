package dev.troupe.cli;

import com.google.common.html.HtmlEscapers;
import dev.troupe.agents.event.ConsoleRenderer;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.security.Redactor;
import dev.troupe.agents.team.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML page about one run: the SOP graph and a timeline as inline SVG (no
 * scripts, nothing fetched), every document, and the cost per role and action.
 */
final class HtmlReport {
    private static final int NODE_W = 170;
    private static final int NODE_H = 54;
    private static final int COL_GAP = 90;
    private static final int ROW_GAP = 26;

    private HtmlReport() {}

    static void write(Path file, String description, SopDiagram sop, RunResult result, List<StepTimeline.Step> steps) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Troupe run ")
                .append(esc(result.team())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("td:first-child,td:nth-child(2),th{text-align:left}pre{background:#f6f6f6;padding:1em;overflow:auto;white-space:pre-wrap}")
                .append(".label{color:#a15c00;font-weight:bold}.status{font-size:1.3em}</style></head><body>");
        h.append("<h1>Team ").append(esc(result.team())).append("</h1>");
        if (!description.isBlank()) {
            h.append("<p>").append(esc(description)).append("</p>");
        }
        h.append("<p class=\"status\">Run <code>").append(esc(result.runId())).append("</code>: <b>").append(result.status())
                .append("</b> in ").append(seconds(result.wallTime())).append("</p>");
        result.error().ifPresent(e -> h.append("<pre>").append(esc(e)).append("</pre>"));
        result.messages().stream().filter(m -> m.causeBy().equals(Message.USER_REQUIREMENT)).findFirst()
                .ifPresent(m -> h.append("<h2>Requirement</h2><pre>").append(esc(m.content())).append("</pre>"));

        h.append("<h2>SOP</h2>").append(graph(sop));
        h.append("<h2>Timeline</h2>").append(timeline(sop.roles(), steps, result.wallTime()));
        h.append("<h2>Cost</h2>").append(costTable(result));
        h.append("<h2>Documents</h2>");
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
            h.append("</h3><pre>").append(esc(m.content())).append("</pre>");
        }
        h.append("</body></html>\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Redactor.global().redact(h.toString()), StandardCharsets.UTF_8);
    }

    private static String graph(SopDiagram sop) {
        Map<String, Integer> layer = sop.layers();
        Map<Integer, List<String>> columns = new LinkedHashMap<>();
        layer.forEach((node, l) -> columns.computeIfAbsent(l, k -> new ArrayList<>()).add(node));
        Map<String, int[]> pos = new LinkedHashMap<>();
        int maxRows = 1;
        for (Map.Entry<Integer, List<String>> c : columns.entrySet()) {
            List<String> nodes = c.getValue();
            maxRows = Math.max(maxRows, nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                pos.put(nodes.get(i), new int[] {20 + c.getKey() * (NODE_W + COL_GAP), 20 + i * (NODE_H + ROW_GAP)});
            }
        }
        int width = 40 + columns.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) * (NODE_W + COL_GAP) + NODE_W;
        int height = 40 + maxRows * (NODE_H + ROW_GAP);
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                + "\" font-size=\"12\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
                + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
        for (SopDiagram.Edge e : sop.edges()) {
            int[] a = pos.get(e.from());
            int[] b = pos.get(e.to());
            if (a == null || b == null) {
                continue;
            }
            boolean back = b[0] <= a[0];
            int x1 = back ? a[0] + NODE_W / 2 : a[0] + NODE_W;
            int y1 = back ? a[1] + NODE_H : a[1] + NODE_H / 2;
            int x2 = back ? b[0] + NODE_W / 2 : b[0];
            int y2 = back ? b[1] + NODE_H : b[1] + NODE_H / 2;
            String path = back ? "M" + x1 + "," + y1 + " C" + x1 + "," + (y1 + 60) + " " + x2 + "," + (y2 + 60) + " " + x2 + "," + y2
                    : "M" + x1 + "," + y1 + " L" + x2 + "," + y2;
            s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#arrow)\"")
                    .append(e.addressed() ? " stroke-dasharray=\"5,4\"" : "").append("/>");
            int lx = (x1 + x2) / 2;
            int ly = back ? Math.max(y1, y2) + 50 : (y1 + y2) / 2 - 4;
            s.append("<text x=\"").append(lx).append("\" y=\"").append(ly).append("\" text-anchor=\"middle\" fill=\"#333\">")
                    .append(esc(e.action())).append("</text>");
        }
        for (Map.Entry<String, int[]> n : pos.entrySet()) {
            int[] p = n.getValue();
            Role role = sop.roles().stream().filter(r -> r.name().equals(n.getKey())).findFirst().orElse(null);
            s.append("<rect x=\"").append(p[0]).append("\" y=\"").append(p[1]).append("\" width=\"").append(NODE_W)
                    .append("\" height=\"").append(NODE_H).append("\" rx=\"8\" fill=\"").append(role == null ? "#eef" : "#fff")
                    .append("\" stroke=\"#447\"/>");
            s.append("<text x=\"").append(p[0] + NODE_W / 2).append("\" y=\"").append(p[1] + 22)
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
        double total = Math.max(1, wall.toMillis());
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + (labelW + width + 20)
                + "\" height=\"" + (roles.size() * rowH + 30) + "\" font-size=\"11\">");
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

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static String esc(String s) {
        return HtmlEscapers.htmlEscaper().escape(s);
    }
}
