package dev.troupe.agents.event;

import dev.troupe.agents.model.Usage;
import dev.troupe.core.security.Redactor;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows a run's progress as it goes: one line per action started, finished or failed, with its
 * tokens, cost and time, and a label on output that came from a scripted, replayed or dry-run model;
 * the tools chosen for an action, and the tree of a DFSDT search when its action ends.
 */
public final class ConsoleRenderer implements RunListener {
    private record Key(String role, String action) {}

    private final PrintStream out;
    private final boolean verbose;
    private final Map<Key, Usage> sinceStart = new ConcurrentHashMap<>();
    private final Map<Key, SearchTree> trees = new ConcurrentHashMap<>();
    private volatile Instant runStart = Instant.now();
    private final Redactor redactor;

    /** A console masking the environment's secrets ({@link Redactor#fromEnvironment()}). */
    public ConsoleRenderer(PrintStream out, boolean verbose) {
        this(out, verbose, Redactor.fromEnvironment());
    }

    /** A console masking what {@code redactor} masks, e.g. the team's ({@code Team.redactor()}). */
    public ConsoleRenderer(PrintStream out, boolean verbose, Redactor redactor) {
        this.out = out;
        this.verbose = verbose;
        this.redactor = Objects.requireNonNull(redactor);
    }

    @Override
    public void onRunStarted(RunEvent.RunStarted e) {
        runStart = e.at();
        print("▶ team " + e.team() + ", run " + e.runId().substring(0, 8) + ": " + firstLine(e.requirement(), 100));
    }

    @Override
    public void onActionStarted(RunEvent.ActionStarted e) {
        sinceStart.put(new Key(e.role(), e.action()), Usage.ZERO);
        if (verbose) {
            print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " … round " + e.round());
        }
    }

    @Override
    public void onModelCall(RunEvent.ModelCall e) {
        sinceStart.merge(new Key(e.role(), e.action()),
                new Usage(1, e.inputTokens(), e.outputTokens(), e.costUsd(), Duration.ZERO), Usage::plus);
        if (e.error().isPresent()) {
            print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " ! model call failed: " + firstLine(e.error().get(), 160));
        } else if (e.attempts() > 1) {
            print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " ↻ answered after " + e.attempts() + " attempts");
        }
    }

    @Override
    public void onToolCall(RunEvent.ToolCall e) {
        print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + (e.failed() ? " ⚠ " : " ⚙ ") + e.tool()
                + "(" + firstLine(e.arguments(), 60) + ") → " + firstLine(e.result(), 80));
    }

    @Override
    public void onToolsChosen(RunEvent.ToolsChosen e) {
        StringBuilder line = new StringBuilder(e.how().isEmpty() ? e.tools().size() + " tool(s)" : e.how()).append(": ");
        int shown = Math.min(e.tools().size(), 8);
        for (int i = 0; i < shown; i++) {
            line.append(i == 0 ? "" : ", ").append(e.tools().get(i))
                    .append(e.scores().isEmpty() ? "" : String.format(" (%.3f)", e.scores().get(i)));
        }
        if (e.tools().size() > shown) {
            line.append(", … ").append(e.tools().size() - shown).append(" more");
        }
        print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " ⌕ " + (e.tools().isEmpty() ? "no tools chosen" : line));
    }

    @Override
    public void onSearchNode(RunEvent.SearchNode e) {
        trees.computeIfAbsent(new Key(e.role(), e.action()), k -> new SearchTree()).add(e);
        if (e.kind().equals("root")) {
            return;
        }
        if (e.kind().equals("backtrack")) {
            print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " " + "  ".repeat(e.depth()) + "↺ backtrack to #"
                    + e.node() + ": " + firstLine(e.detail(), 140));
            return;
        }
        String mark = switch (e.kind()) {
            case "answer" -> "✓ answer";
            case "give_up" -> "↶ give_up_and_restart";
            case "dead_end" -> "✗ dead end";
            case "replayed" -> "↻ replayed";
            case "forced" -> "⚑ forced by reflection:";
            default -> "→";
        };
        print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " " + "  ".repeat(e.depth()) + "#" + e.node()
                + (e.parent() >= 0 ? " (from #" + e.parent() + ")" : "") + " " + mark + " " + firstLine(e.detail(), 100));
    }

    @Override
    public void onTrialStep(RunEvent.TrialStep e) {
        print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + "   trial " + e.attempt() + " step " + e.step() + " "
                + (e.failed() ? "✗ " : "· ") + firstLine(e.call(), 70) + "  (" + e.how() + ") → " + firstLine(e.observation(), 60));
    }

    @Override
    public void onTrialEnded(RunEvent.TrialEnded e) {
        print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " " + (e.passed() ? "✓" : "✗") + " trial " + e.attempt()
                + " " + (e.passed() ? "passed" : "failed: " + firstLine(e.why(), 120)) + " (" + e.steps() + " steps)");
    }

    @Override
    public void onReflected(RunEvent.Reflected e) {
        print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " ✎ reflection: step " + e.step() + " → "
                + firstLine(e.correctedAction(), 60) + " — " + firstLine(e.lesson(), 100));
    }

    @Override
    public void onLessonsLoaded(RunEvent.LessonsLoaded e) {
        print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " ☰ " + e.lessons().size()
                + " stored lesson(s) for task " + e.taskKey() + ": " + firstLine(String.join("; ", e.lessons()), 120));
    }

    @Override
    public void onActionFinished(RunEvent.ActionFinished e) {
        printTree(e.role(), e.action());
        Usage u = sinceStart.getOrDefault(new Key(e.role(), e.action()), Usage.ZERO);
        String label = e.output().model().map(ConsoleRenderer::label).orElse("");
        boolean commandFailed = e.output().payload().map(p -> p.has("passed") && !p.get("passed").asBoolean()).orElse(false);
        if (commandFailed) {
            print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " ⚠ " + seconds(e.wallTime()) + "  failed (exit "
                    + e.output().payload().get().path("exitCode").asInt() + ")"
                    + (e.output().sendTo().isEmpty() ? "" : ", sent to " + String.join(", ", e.output().sendTo())));
            return;
        }
        print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " ✓ " + seconds(e.wallTime())
                + String.format("  %,d→%,d tok  $%.4f", u.inputTokens(), u.outputTokens(), u.costUsd()) + label);
    }

    @Override
    public void onActionFailed(RunEvent.ActionFailed e) {
        printTree(e.role(), e.action());
        print(stamp(e.at()) + pad(e.role(), 14) + " " + pad(e.action(), 18) + " ✗ " + firstLine(e.error(), 200));
    }

    @Override
    public void onRunFinished(RunEvent.RunFinished e) {
        Usage u = e.usage();
        print(String.format("■ %s in %s: %d model calls, %,d tokens in, %,d out, $%.4f%s", e.status(), seconds(e.wallTime()),
                u.calls(), u.inputTokens(), u.outputTokens(), u.costUsd(), e.error().map(err -> "\n  " + err).orElse("")));
    }

    /** Once an action's DFSDT search is over, its whole tree, so the branches, give-ups and backtracks read at a glance. */
    private void printTree(String role, String action) {
        SearchTree tree = trees.remove(new Key(role, action));
        if (tree != null) {
            synchronized (out) {
                tree.render().forEach(this::print);
            }
        }
    }

    /** The label that marks output not produced by a live model. */
    public static String label(String modelSpec) {
        if (modelSpec.startsWith("scripted:")) {
            return "  [scripted model output]";
        }
        if (modelSpec.startsWith("replay:")) {
            return "  [replayed output]";
        }
        if (modelSpec.equals("dry-run")) {
            return "  [dry-run placeholder]";
        }
        return "";
    }

    private String stamp(Instant at) {
        return String.format("  [%6.1fs] ", Duration.between(runStart, at).toMillis() / 1000.0);
    }

    private void print(String line) {
        synchronized (out) {
            out.println(redactor.redact(line));
        }
    }

    private static String seconds(Duration d) {
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s : s + " ".repeat(n - s.length());
    }

    private static String firstLine(String s, int max) {
        if (s == null) {
            return "";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > max ? line.substring(0, max) + "…" : line;
    }
}
