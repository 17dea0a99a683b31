package dev.troupe.agents.model.internal;

import dev.troupe.agents.model.Usage;
import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Thread-safe usage of one run, per role and action; the budget reads its totals. */
public final class UsageLedger {
    /** Running sums of one role and action (or the run's total), mutated under the ledger's lock. */
    private static final class Sums {
        final String role;
        final String action;
        long calls;
        long inputTokens;
        long outputTokens;
        double costUsd;
        long wallNanos;

        Sums(String role, String action) {
            this.role = role;
            this.action = action;
        }

        void add(long c, long in, long out, double cost, long nanos) {
            calls += c;
            inputTokens += in;
            outputTokens += out;
            costUsd += cost;
            wallNanos += nanos;
        }

        Usage toUsage() {
            return new Usage(calls, inputTokens, outputTokens, costUsd, Duration.ofNanos(wallNanos));
        }
    }

    // A run has a few roles and actions: a short list scanned in place is smaller than nested maps,
    // which matters with thousands of runs in flight.
    private final List<Sums> entries = new ArrayList<>(8);
    private final Sums total = new Sums("", "");

    public void recordCall(String role, String action, long in, long out, double cost) {
        add(role, action, 1, in, out, cost, 0);
    }

    public void recordWallTime(String role, String action, Duration wall) {
        add(role, action, 0, 0, 0, 0, wall.toNanos());
    }

    /** Books usage spent elsewhere, e.g. by the earlier attempts of a resumed run. */
    public void add(String role, String action, Usage u) {
        add(role, action, u.calls(), u.inputTokens(), u.outputTokens(), u.costUsd(), u.wallTime().toNanos());
    }

    /**
     * Counts usage spent elsewhere toward the total (and so toward the budget) without booking it to
     * a role or action: what the other steps of a distributed run spent before this one.
     */
    public synchronized void addToTotal(Usage spentElsewhere) {
        total.add(spentElsewhere.calls(), spentElsewhere.inputTokens(), spentElsewhere.outputTokens(), spentElsewhere.costUsd(),
                spentElsewhere.wallTime().toNanos());
    }

    private synchronized void add(String role, String action, long calls, long in, long out, double cost, long nanos) {
        entry(role, action).add(calls, in, out, cost, nanos);
        total.add(calls, in, out, cost, nanos);
    }

    private Sums entry(String role, String action) {
        for (int i = 0, n = entries.size(); i < n; i++) {
            Sums e = entries.get(i);
            if (e.role.equals(role) && e.action.equals(action)) {
                return e;
            }
        }
        Sums e = new Sums(role, action);
        entries.add(e);
        return e;
    }

    public synchronized Usage total() {
        return total.toUsage();
    }

    /** Usage per role, then per action, in name order. */
    public synchronized ImmutableMap<String, ImmutableMap<String, Usage>> byRoleAndAction() {
        Map<String, Map<String, Usage>> tree = new TreeMap<>();
        entries.forEach(e -> tree.computeIfAbsent(e.role, r -> new TreeMap<>()).put(e.action, e.toUsage()));
        ImmutableMap.Builder<String, ImmutableMap<String, Usage>> b = ImmutableMap.builder();
        tree.forEach((role, m) -> b.put(role, ImmutableMap.copyOf(m)));
        return b.build();
    }

    /** Usage of {@code role}, summed over its actions. */
    public synchronized Usage ofRole(String role) {
        Sums sum = new Sums(role, "");
        for (Sums a : entries) {
            if (a.role.equals(role)) {
                sum.add(a.calls, a.inputTokens, a.outputTokens, a.costUsd, a.wallNanos);
            }
        }
        return sum.toUsage();
    }

    /** Usage summed per role. */
    public synchronized ImmutableMap<String, Usage> byRole() {
        Map<String, Usage> tree = new TreeMap<>();
        entries.forEach(e -> tree.merge(e.role, e.toUsage(), Usage::plus));
        return ImmutableMap.copyOf(tree);
    }
}
