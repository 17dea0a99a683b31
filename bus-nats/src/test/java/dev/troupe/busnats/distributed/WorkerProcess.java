package dev.troupe.busnats.distributed;

import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.TeamStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A role worker in a JVM of its own, started by tests with their class path: the software-company
 * team on its script, optionally with one slow action. Prints "ready" once its consumer is bound.
 */
final class WorkerProcess {

    /** Arguments: url prefix ackWaitMillis role name [slowAction slowMillis markerDir]. */
    public static void main(String[] args) throws Exception {
        NatsSettings settings = NatsSettings.of(args[0]).withPrefix(args[1]).withAckWait(Duration.ofMillis(Long.parseLong(args[2])));
        String role = args[3];
        String name = args[4];
        Path workspace = Files.createTempDirectory("troupe-worker-unused-");   // each run names its own workspace
        TeamStream stream = TeamStream.open(settings, SoftwareCompany.NAME);
        RoleWorker.Builder b = RoleWorker.builder(stream, SoftwareCompany.team(workspace), role).name(name);
        if (args.length > 5) {
            b.interceptor(new SlowAction(args[5], Duration.ofMillis(Long.parseLong(args[6])), Path.of(args[7]), name));
        }
        RoleWorker worker = b.build().start(1);
        System.out.println("ready " + worker.name());
        System.out.flush();
        new CountDownLatch(1).await();   // until killed
    }

    /** A worker JVM the test started, and the lines it printed. */
    record Handle(String name, Process process, List<String> output, CountDownLatch ready) {
        Handle awaitReady() throws InterruptedException {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("worker " + name + " did not start:\n" + String.join("\n", output));
            }
            return this;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();   // SIGKILL on Linux: no shutdown hooks, no acks, no goodbyes
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts a worker JVM with this JVM's class path; {@link Handle#awaitReady()} waits until it serves. */
    static Handle start(NatsSettings settings, String role, String name, String... slow) throws IOException {
        String javaBin = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, WorkerProcess.class.getName(),
                settings.url(), settings.prefix(), String.valueOf(settings.ackWait().toMillis()), role, name));
        cmd.addAll(List.of(slow));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch ready = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("ready ")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                output.add("(output closed: " + e + ")");
            }
        });
        return new Handle(name, p, output, ready);
    }
}
