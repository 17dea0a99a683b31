package dev.troupe.agents.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree of one DFSDT search, rebuilt from its {@code SearchNode} events and drawn as text: each
 * node under its parent, give-ups, dead ends, and the children tried after a backtrack.
 */
final class SearchTree {
    private static final int MAX_LABEL = 110;

    private static final class Node {
        final int id;
        final int parent;
        final String kind;
        final String detail;
        final List<Node> children = new ArrayList<>();
        boolean afterBacktrack;
        String deadEnd;

        Node(int id, int parent, String kind, String detail) {
            this.id = id;
            this.parent = parent;
            this.kind = kind;
            this.detail = detail;
        }
    }

    private final Map<Integer, Node> nodes = new LinkedHashMap<>();
    private final Map<Integer, Boolean> backtracked = new LinkedHashMap<>();
    private String role = "";
    private String action = "";
    private int giveUps;
    private int backtracks;

    synchronized void add(RunEvent.SearchNode e) {
        role = e.role();
        action = e.action();
        switch (e.kind()) {
            case "backtrack" -> {
                backtracks++;
                backtracked.put(e.node(), true);
            }
            case "dead_end" -> {
                Node n = nodes.get(e.node());
                if (n != null) {
                    n.deadEnd = e.detail();
                }
            }
            default -> {
                Node n = new Node(e.node(), e.parent(), e.kind(), e.detail());
                nodes.put(n.id, n);
                if (e.kind().equals("give_up")) {
                    giveUps++;
                }
                Node parent = nodes.get(e.parent());
                if (parent != null) {
                    parent.children.add(n);
                    n.afterBacktrack = backtracked.remove(e.parent()) != null;
                }
            }
        }
    }

    synchronized List<String> render() {
        List<String> lines = new ArrayList<>();
        Node answer = nodes.values().stream().filter(n -> n.kind.equals("answer")).findFirst().orElse(null);
        lines.add("  search tree of " + role + "/" + action + ": " + nodes.size() + " nodes, " + giveUps + " give-up(s), "
                + backtracks + " backtrack(s), " + (answer == null ? "no answer" : "answer at #" + answer.id));
        nodes.values().stream().filter(n -> n.parent < 0).forEach(root -> draw(root, "    ", "", "", lines));
        return lines;
    }

    private static void draw(Node n, String indent, String branch, String childIndent, List<String> lines) {
        lines.add(indent + branch + "#" + n.id + " " + label(n));
        for (int i = 0; i < n.children.size(); i++) {
            boolean last = i == n.children.size() - 1;
            draw(n.children.get(i), indent + childIndent, last ? "└─ " : "├─ ", last ? "   " : "│  ", lines);
        }
    }

    private static String label(Node n) {
        String text = switch (n.kind) {
            case "root" -> "task";
            case "answer" -> "✓ give_answer: " + shorten(n.detail);
            case "give_up" -> "↶ give_up_and_restart" + (n.detail.isBlank() ? "" : ": " + shorten(n.detail));
            default -> shorten(n.detail);
        };
        return text + (n.afterBacktrack ? "   ↺ tried after a backtrack" : "")
                + (n.deadEnd == null ? "" : "   ✗ dead end: " + shorten(n.deadEnd));
    }

    private static String shorten(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > MAX_LABEL ? line.substring(0, MAX_LABEL) + "…" : line;
    }
}
