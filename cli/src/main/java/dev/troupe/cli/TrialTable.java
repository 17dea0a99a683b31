package dev.troupe.cli;

import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Collects the reflective trials of a run and prints them as a table at the end. */
final class TrialTable implements RunListener {
    private final List<RunEvent.TrialEnded> trials = new ArrayList<>();
    private final List<RunEvent.Reflected> reflections = new ArrayList<>();

    @Override
    public synchronized void onTrialEnded(RunEvent.TrialEnded e) {
        trials.add(e);
    }

    @Override
    public synchronized void onReflected(RunEvent.Reflected e) {
        reflections.add(e);
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
            reflections.stream().filter(r -> r.trial() == t.trial() && r.role().equals(t.role()) && r.action().equals(t.action()))
                    .forEach(r -> out.println("  " + " ".repeat(45) + "reflection: step " + r.step() + " → " + oneLine(r.correctedAction())));
        }
        out.flush();
    }

    private static String oneLine(String s) {
        String line = s.replace('\n', ' ');
        return line.length() > 90 ? line.substring(0, 90) + "…" : line;
    }
}
