package dev.troupe.agents.model;

import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Thread-safe usage of one run, per role and action; the budget reads its totals. */
public final class UsageLedger {
    /** Running sums, mutated under the ledger's lock. */
    private static final class Sums {
        long calls;
        long inputTokens;
        long outputTokens;
        double costUsd;
        long wallNanos;

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

    private final Map<String, Map<String, Sums>> byRole = new HashMap<>();
    private final Sums total = new Sums();

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

    private synchronized void add(String role, String action, long calls, long in, long out, double cost, long nanos) {
        byRole.computeIfAbsent(role, r -> new HashMap<>()).computeIfAbsent(action, a -> new Sums()).add(calls, in, out, cost, nanos);
        total.add(calls, in, out, cost, nanos);
    }

    public synchronized Usage total() {
        return total.toUsage();
    }

    /** Usage per role, then per action, in name order. */
    public synchronized ImmutableMap<String, ImmutableMap<String, Usage>> byRoleAndAction() {
        Map<String, Map<String, Usage>> tree = new TreeMap<>();
        byRole.forEach((role, actions) -> actions.forEach((action, sums) ->
                tree.computeIfAbsent(role, r -> new TreeMap<>()).put(action, sums.toUsage())));
        ImmutableMap.Builder<String, ImmutableMap<String, Usage>> b = ImmutableMap.builder();
        tree.forEach((role, m) -> b.put(role, ImmutableMap.copyOf(m)));
        return b.build();
    }

    /** Usage of {@code role}, summed over its actions. */
    public synchronized Usage ofRole(String role) {
        Sums sum = new Sums();
        byRole.getOrDefault(role, Map.of()).values().forEach(a -> sum.add(a.calls, a.inputTokens, a.outputTokens, a.costUsd, a.wallNanos));
        return sum.toUsage();
    }

    /** Usage summed per role. */
    public synchronized ImmutableMap<String, Usage> byRole() {
        Map<String, Usage> tree = new TreeMap<>();
        byRole.forEach((role, actions) -> actions.values().forEach(sums -> tree.merge(role, sums.toUsage(), Usage::plus)));
        return ImmutableMap.copyOf(tree);
    }
}
