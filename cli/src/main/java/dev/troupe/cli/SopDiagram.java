package dev.troupe.cli;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SOP of a team as a graph: who hands which document to whom. Rendered as a Mermaid flowchart
 * or as plain text, and laid out in layers for the HTML report.
 */
final class SopDiagram {
    /** A hand-off: {@code from} produces {@code action}, which {@code to} observes; {@code addressed} when sent by name. */
    record Edge(String from, String to, String action, boolean addressed) {}

    private final List<Role> roles;
    private final List<Edge> edges;

    SopDiagram(List<Role> roles) {
        this.roles = List.copyOf(roles);
        this.edges = edgesOf(roles);
    }

    List<Edge> edges() {
        return edges;
    }

    private static List<Edge> edgesOf(List<Role> roles) {
        Map<String, String> producer = new LinkedHashMap<>();
        roles.forEach(r -> r.actions().forEach(a -> producer.put(a.name(), r.name())));
        Set<Edge> out = new LinkedHashSet<>();
        for (Role r : roles) {
            for (String w : r.watch()) {
                String from = w.equals(Message.USER_REQUIREMENT) ? Message.USER_REQUIREMENT : producer.get(w);
                if (from != null) {
                    out.add(new Edge(from, r.name(), w, false));
                }
            }
        }
        for (Role r : roles) {
            for (Action a : r.actions()) {
                Set<String> to = new LinkedHashSet<>(a.sendTo());
                a.command().ifPresent(c -> to.addAll(c.onFailureSendTo()));
                for (String t : to) {
                    out.add(new Edge(r.name(), t, a.name() + (a.sendTo().contains(t) ? "" : " (on failure)"), true));
                }
            }
        }
        return new ArrayList<>(out);
    }

    String mermaid() {
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        sb.append("  ").append(Message.USER_REQUIREMENT).append("([UserRequirement])\n");
        for (Role r : roles) {
            sb.append("  ").append(r.name()).append("[\"").append(r.name()).append("<br/>").append(escape(r.profile()))
                    .append("<br/><i>").append(r.actions().stream().map(Action::name).collect(Collectors.joining(", ")))
                    .append("</i>\"]\n");
        }
        for (Edge e : edges) {
            sb.append("  ").append(e.from()).append(e.addressed() ? " -.->|" : " -->|").append(escape(e.action())).append("| ")
                    .append(e.to()).append('\n');
        }
        return sb.toString();
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        for (Role r : roles) {
            sb.append(r.name()).append(" (").append(r.profile()).append(", ").append(r.mode().name().toLowerCase()).append(")\n");
            sb.append("  watches: ").append(String.join(", ", r.watch()))
                    .append(r.waitForAll() ? " (waits for all)" : "").append('\n');
            for (Action a : r.actions()) {
                sb.append("  ").append(a.name()).append(": ")
                        .append(a.command().map(c -> "runs `" + c.command() + "`")
                                .orElse(a.schema().isPresent() ? "JSON document" : "text"))
                        .append(a.writesFiles() ? ", writes files" : "")
                        .append(a.reflection().map(rf -> ", reflective (" + rf.judge().name().toLowerCase() + " judge, "
                                + rf.maxTrials() + " trials)").orElse(""))
                        .append(a.on().isEmpty() ? "" : ", on " + String.join("/", a.on()))
                        .append(a.sendTo().isEmpty() ? "" : ", to " + String.join(", ", a.sendTo()))
                        .append('\n');
            }
        }
        sb.append("hand-offs:\n");
        edges.forEach(e -> sb.append("  ").append(e.from()).append(e.addressed() ? " ··" : " --").append(e.action())
                .append(e.addressed() ? "··> " : "--> ").append(e.to()).append('\n'));
        return sb.toString();
    }

    /** Each node's column: its distance from the requirement along watch edges. */
    Map<String, Integer> layers() {
        Map<String, Integer> layer = new LinkedHashMap<>();
        layer.put(Message.USER_REQUIREMENT, 0);
        boolean changed = true;
        for (int guard = 0; changed && guard < roles.size() + 2; guard++) {
            changed = false;
            for (Edge e : edges) {
                if (e.addressed() || !layer.containsKey(e.from())) {
                    continue;
                }
                int l = layer.get(e.from()) + 1;
                if (!layer.containsKey(e.to()) || layer.get(e.to()) < l && l <= roles.size()) {
                    if (!layer.containsKey(e.to()) || !reaches(e.to(), e.from())) {
                        layer.put(e.to(), l);
                        changed = true;
                    }
                }
            }
        }
        roles.forEach(r -> layer.putIfAbsent(r.name(), 1));
        return layer;
    }

    private boolean reaches(String from, String to) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> work = new ArrayList<>(List.of(from));
        while (!work.isEmpty()) {
            String n = work.removeLast();
            if (n.equals(to)) {
                return true;
            }
            if (seen.add(n)) {
                edges.stream().filter(e -> !e.addressed() && e.from().equals(n)).forEach(e -> work.add(e.to()));
            }
        }
        return false;
    }

    List<Role> roles() {
        return roles;
    }

    private static String escape(String s) {
        return s.replace("\"", "'").replace("|", "/");
    }
}
