package dev.troupe.cli;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the reflective trials of a run (their steps, reflections and loaded lessons) and the
 * DFSDT search trees; prints the trials as a table at the end and hands all of it to the report.
 */
final class TrialTable implements RunListener {
    private final List<RunEvent.TrialStep> steps = new ArrayList<>();
    private final List<RunEvent.TrialEnded> trials = new ArrayList<>();
    private final List<RunEvent.Reflected> reflections = new ArrayList<>();
    private final List<RunEvent.LessonsLoaded> lessons = new ArrayList<>();
    private final List<RunEvent.SearchNode> searchNodes = new ArrayList<>();

    @Override
    public synchronized void onTrialStep(RunEvent.TrialStep e) {
        steps.add(e);
    }

    @Override
    public synchronized void onTrialEnded(RunEvent.TrialEnded e) {
        trials.add(e);
    }

    @Override
    public synchronized void onReflected(RunEvent.Reflected e) {
        reflections.add(e);
    }

    @Override
    public synchronized void onLessonsLoaded(RunEvent.LessonsLoaded e) {
        lessons.add(e);
    }

    @Override
    public synchronized void onSearchNode(RunEvent.SearchNode e) {
        searchNodes.add(e);
    }

    synchronized List<RunEvent.TrialEnded> trials() {
        return List.copyOf(trials);
    }

    /** The steps of one trial, in the order they were taken. */
    synchronized List<RunEvent.TrialStep> steps(RunEvent.TrialEnded t) {
        return steps.stream().filter(s -> s.role().equals(t.role()) && s.action().equals(t.action()) && s.attempt() == t.attempt()).toList();
    }

    /** The reflection on a failed trial, if one was made. */
    synchronized List<RunEvent.Reflected> reflections(RunEvent.TrialEnded t) {
        return reflections.stream().filter(r -> r.trial() == t.trial() && r.role().equals(t.role()) && r.action().equals(t.action())).toList();
    }

    synchronized List<RunEvent.LessonsLoaded> lessonsLoaded() {
        return List.copyOf(lessons);
    }

    synchronized List<RunEvent.SearchNode> searchNodes() {
        return List.copyOf(searchNodes);
    }

    synchronized void print(PrintWriter out) {
        if (trials.isEmpty()) {
            return;
        }
        out.println();
        out.println("Trials:");
        out.printf("  %-10s %-14s %5s %6s %6s  %s%n", "role", "action", "try", "task#", "steps", "result");
        for (RunEvent.TrialEnded t : trials) {
            out.printf("  %-10s %-14s %5d %6d %6d  %s%n", t.role(), t.action(), t.attempt(), t.trial(), t.steps(),
                    t.passed() ? "passed" : "failed: " + oneLine(t.why()));
            reflections(t).forEach(r -> out.println("  " + " ".repeat(45) + "reflection: step " + r.step() + " → " + oneLine(r.correctedAction())));
        }
        out.flush();
    }

    private static String oneLine(String s) {
        String line = s.replace('\n', ' ');
        return line.length() > 90 ? line.substring(0, 90) + "…" : line;
    }
}
