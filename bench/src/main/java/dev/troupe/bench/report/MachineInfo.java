package dev.troupe.bench.report;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the numbers were measured on: CPUs, memory, CPU model, JDK, JVM flags, collector and command line. */
public record MachineInfo(int cpus, String memory, String cpuModel, String jdk, List<String> jvmFlags,
                          String collectors, String command) {

    public static MachineInfo current() {
        var runtime = ManagementFactory.getRuntimeMXBean();
        List<String> flags = runtime.getInputArguments();
        String javaCommand = System.getProperty("sun.java.command", "?");
        String launched = javaCommand.endsWith(".jar") || javaCommand.contains(".jar ") ? "-jar " + javaCommand : javaCommand;
        // The JDK is named by its version above; its folder is this machine's own.
        String command = "$JAVA_HOME/bin/java " + (flags.isEmpty() ? "" : String.join(" ", flags) + " ") + launched;
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), memTotal(), readCpuModel(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.name") + " "
                        + System.getProperty("java.runtime.version"),
                flags, collectors, command);
    }

    /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}: other work on the machine shows here. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String readCpuModel() {
        return procLine("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch"));
    }

    private static String memTotal() {
        return procLine("/proc/meminfo", "MemTotal").map(v -> {
            long kb = Long.parseLong(v.replaceAll("[^0-9]", ""));
            return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }).orElse("unknown");
    }

    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
