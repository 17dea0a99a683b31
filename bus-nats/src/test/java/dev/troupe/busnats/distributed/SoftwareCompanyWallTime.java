package dev.troupe.busnats.distributed;

import dev.troupe.agents.team.RunResult;
import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.TeamStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Wall time of the software-company run (offline, on its script) in one JVM, and with each of its five
 * roles in a worker JVM of its own plus a coordinator in this one. Not a test: run it by hand (see
 * BENCHMARKS.md, "The message bus", for the command).
 */
public final class SoftwareCompanyWallTime {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("troupe-wall-");
        System.out.println("one JVM (in-process scheduler, in-memory bus):");
        for (int i = 1; i <= runs; i++) {
            RunResult r = SoftwareCompany.team(dir.resolve("inproc-" + i)).run(SoftwareCompany.idea());
            System.out.printf("  run %d: %s in %d ms%n", i, r.status(), r.wallTime().toMillis());
        }
        NatsSettings settings = NatsSettings.of(NatsSettings.defaultUrl()).withPrefix("wall" + UUID.randomUUID().toString().substring(0, 8));
        List<WorkerProcess.Handle> workers = new ArrayList<>();
        try (TeamStream stream = TeamStream.open(settings, SoftwareCompany.NAME)) {
            long t0 = System.nanoTime();
            for (String role : SoftwareCompany.ROLES) {
                workers.add(WorkerProcess.start(settings, role, role));
            }
            for (WorkerProcess.Handle w : workers) {
                w.awaitReady();
            }
            System.out.printf("five worker JVMs + a coordinator in this JVM (workers ready after %d ms):%n", (System.nanoTime() - t0) / 1_000_000);
            for (int i = 1; i <= runs; i++) {
                RunResult r = Coordinator.of(stream, SoftwareCompany.team(dir.resolve("nats-" + i)), List.of()).run(SoftwareCompany.idea());
                System.out.printf("  run %d: %s in %d ms%n", i, r.status(), r.wallTime().toMillis());
            }
            stream.delete();
        } finally {
            for (WorkerProcess.Handle w : workers) {
                w.kill();
            }
        }
        System.exit(0);
    }
}
