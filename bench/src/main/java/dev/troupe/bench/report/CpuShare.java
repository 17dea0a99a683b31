package dev.troupe.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How much of the machine's CPU other processes used while the bench ran, from {@code /proc/stat}
 * (all busy time) minus {@code /proc/self/stat} (this JVM's). On a shared machine this says how
 * far to trust a table.
 */
public record CpuShare(long machineBusyTicks, long machineTotalTicks, long selfTicks, long nanos) {

    public static CpuShare now() {
        long busy = -1;
        long total = -1;
        long self = -1;
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            total = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                total += Long.parseLong(cpu[i]);
            }
            busy = total - idle;
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            self = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            // Not Linux: the share stays unknown.
        }
        return new CpuShare(busy, total, self, System.nanoTime());
    }

    /** "others used 3% of the machine's CPU, the bench 48%" between {@code start} and this snapshot. */
    public String since(CpuShare start) {
        if (machineTotalTicks < 0 || start.machineTotalTicks < 0 || machineTotalTicks == start.machineTotalTicks) {
            return "CPU share of other processes unknown";
        }
        double total = machineTotalTicks - start.machineTotalTicks;
        double self = selfTicks - start.selfTicks;
        double others = Math.max(0, machineBusyTicks - start.machineBusyTicks - self);
        return String.format(Locale.ROOT, "while it ran, other processes used %.0f%% of the machine's CPU time and the bench %.0f%%",
                100 * others / total, 100 * self / total);
    }
}
