package dev.troupe.busnats.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.troupe.agents.message.Message;
import dev.troupe.agents.team.RunHandle;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.LocalNats;
import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.wire.ControlRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The software-company team with its roles in worker JVMs of their own and a coordinator in this
 * one, on the local NATS server, offline on the team's script.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DistributedSoftwareCompanyTest {
    @TempDir
    Path dir;

    private NatsSettings settings;
    private TeamStream stream;
    private final List<WorkerProcess.Handle> workers = new ArrayList<>();
    private final List<RoleWorker> inJvm = new ArrayList<>();

    @BeforeEach
    void openStream() {
        LocalNats.assumeAvailable();
        assumeTrue(SoftwareCompany.python3OnPath(), "the software-company team runs its tests with python3, which is not on PATH");
        settings = LocalNats.isolatedSettings().withAckWait(Duration.ofSeconds(2));
        stream = TeamStream.open(settings, SoftwareCompany.NAME);
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        inJvm.forEach(RoleWorker::close);
        for (WorkerProcess.Handle w : workers) {
            w.kill();
        }
        if (stream != null) {
            stream.delete();
            stream.close();
        }
    }

    private void startWorkers(String[]... specs) throws Exception {
        for (String[] s : specs) {
            String[] slow = java.util.Arrays.copyOfRange(s, 2, s.length);
            workers.add(WorkerProcess.start(settings, s[0], s[1], slow));
        }
        for (WorkerProcess.Handle w : workers) {
            w.awaitReady();
        }
    }

    @Test
    void eachRoleInItsOwnJvmProducesTheSameDocumentsAsTheInProcessRun() throws Exception {
        Path inProcessWs = dir.resolve("ws-1");   // names of one length: test output shows paths, and prompts quote it
        Path distributedWs = dir.resolve("ws-2");
        RunResult inProcess = SoftwareCompany.team(inProcessWs).run(SoftwareCompany.idea());
        assertThat(inProcess.status()).as("in-process: %s", inProcess.error()).isEqualTo(RunStatus.SUCCEEDED);
        startWorkers(Stream.of(SoftwareCompany.ROLES).map(r -> new String[] {r, r}).toArray(String[][]::new));

        RunResult distributed = Coordinator.of(stream, SoftwareCompany.team(distributedWs), List.of()).run(SoftwareCompany.idea());

        assertThat(distributed.status()).as("distributed: %s", distributed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(RunRecords.documents(distributed)).containsExactlyElementsOf(RunRecords.documents(inProcess));
        assertThat(RunRecords.files(distributedWs)).isNotEmpty().isEqualTo(RunRecords.files(inProcessWs));
        // Token counts are estimated from the prompts: equal counts mean every role saw the same prompt,
        // the Engineer's trials included, though each step ran on a fresh worker view of the run.
        assertThat(RunRecords.calls(distributed)).isEqualTo(RunRecords.calls(inProcess));
        List<ControlRecord.StepDone> reports = RunRecords.storedReports(stream, distributed.runId());
        assertThat(reports).allSatisfy(r -> assertThat(r.worker()).startsWith(r.role() + "/"));
        assertThat(reports).extracting(ControlRecord.StepDone::outcome).containsOnly(ControlRecord.Outcome.DONE);
    }

    @Test
    void workerKilledInTheMiddleOfAnActionIsReplacedByAReplicaAndNothingIsLostOrPublishedTwice() throws Exception {
        Path markers = dir.resolve("markers");
        String[] slowDesign = {"WriteDesign", "3000", markers.toString()};
        // Bob's two replicas are JVMs of their own, so one can be killed; the other roles work in this JVM.
        startWorkers(concat(new String[] {"Bob", "Bob-1"}, slowDesign), concat(new String[] {"Bob", "Bob-2"}, slowDesign));
        Team team = SoftwareCompany.team(dir.resolve("ws"));
        for (String role : List.of("Alice", "Eve", "Alex", "Edward")) {
            inJvm.add(RoleWorker.builder(stream, team, role).name(role).build().start(1));
        }
        RunHandle run = Coordinator.of(stream, team, List.of()).start(SoftwareCompany.idea());

        Path started = awaitFirstFile(markers, Duration.ofSeconds(60));
        String victimName = started.getFileName().toString().replace(".started", "");
        WorkerProcess.Handle victim = workers.stream().filter(w -> w.name().equals(victimName)).findFirst().orElseThrow();
        victim.kill();
        RunResult result = run.await(Duration.ofSeconds(90)).orElseThrow(() -> new AssertionError("the run did not end"));

        assertThat(victim.process().isAlive()).isFalse();
        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        String survivor = victimName.equals("Bob-1") ? "Bob-2" : "Bob-1";
        assertThat(markers.resolve(survivor + ".started")).as("the replica took the message over").exists();

        List<Message> stored = RunRecords.storedMessages(stream, result.runId());
        assertThat(stored).extracting(Message::id).as("no message stored twice").doesNotHaveDuplicates();
        Map<String, Long> perAction = stored.stream().collect(Collectors.groupingBy(Message::causeBy, Collectors.counting()));
        assertThat(perAction).isEqualTo(Map.of("UserRequirement", 1L, "WritePRD", 1L, "WriteDesign", 1L, "WriteTasks", 1L,
                "WriteCode", 1L, "WriteTests", 1L, "RunTests", 1L));

        List<ControlRecord.StepDone> reports = RunRecords.storedReports(stream, result.runId());
        assertThat(reports).extracting(r -> r.inputId() + "/" + r.role()).as("each step reported once").doesNotHaveDuplicates();
        Set<String> expected = new HashSet<>();
        for (Message m : stored) {
            Observers.of(m, team.roles()).forEach(role -> expected.add(m.id() + "/" + role));
        }
        assertThat(reports).extracting(r -> r.inputId() + "/" + r.role()).as("every (message, role) processed")
                .containsExactlyInAnyOrderElementsOf(expected);
        Message design = stored.stream().filter(m -> m.causeBy().equals("WriteDesign")).findFirst().orElseThrow();
        ControlRecord.StepDone designStep = reports.stream().filter(r -> r.outputs().contains(design.id())).findFirst().orElseThrow();
        assertThat(designStep.worker()).startsWith(survivor + "/");
        assertThat(designStep.attempt()).as("a redelivery").isGreaterThanOrEqualTo(2);
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static Path awaitFirstFile(Path folder, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    var first = files.findFirst();
                    if (first.isPresent()) {
                        return first.get();
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no worker started the slow action within " + timeout);
    }

}
