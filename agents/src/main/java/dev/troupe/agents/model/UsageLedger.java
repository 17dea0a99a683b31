package dev.troupe.agents.model;

import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Thread-safe usage of one run, per role and action; the budget reads its totals. */
public final class UsageLedger {
    private record Key(String role, String action) {}

    private final Map<Key, Usage> byKey = new ConcurrentHashMap<>();
    private volatile Usage total = Usage.ZERO;

    public void recordCall(String role, String action, long in, long out, double cost) {
        add(role, action, new Usage(1, in, out, cost, Duration.ZERO));
    }

    public void recordWallTime(String role, String action, Duration wall) {
        add(role, action, new Usage(0, 0, 0, 0, wall));
    }

    /** Books usage spent elsewhere, e.g. by the earlier attempts of a resumed run. */
    public void add(String role, String action, Usage u) {
        byKey.merge(new Key(role, action), u, Usage::plus);
        synchronized (this) {
            total = total.plus(u);
        }
    }

    public Usage total() {
        return total;
    }

    /** Usage per role, then per action, in name order. */
    public ImmutableMap<String, ImmutableMap<String, Usage>> byRoleAndAction() {
        Map<String, Map<String, Usage>> tree = new TreeMap<>();
        byKey.forEach((k, u) -> tree.computeIfAbsent(k.role, r -> new TreeMap<>()).put(k.action, u));
        ImmutableMap.Builder<String, ImmutableMap<String, Usage>> b = ImmutableMap.builder();
        tree.forEach((role, m) -> b.put(role, ImmutableMap.copyOf(m)));
        return b.build();
    }

    /** Usage summed per role. */
    public ImmutableMap<String, Usage> byRole() {
        Map<String, Usage> tree = new TreeMap<>();
        byKey.forEach((k, u) -> tree.merge(k.role, u, Usage::plus));
        return ImmutableMap.copyOf(tree);
    }
}
