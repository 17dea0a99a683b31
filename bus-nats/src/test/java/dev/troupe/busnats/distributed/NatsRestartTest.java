package dev.troupe.busnats.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.troupe.agents.message.Message;
import dev.troupe.agents.team.RunHandle;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.PrivateNatsServer;
import dev.troupe.busnats.TeamStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run survives its NATS server going away in the middle and coming back (a private server, stopped and restarted). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NatsRestartTest {
    @TempDir
    Path dir;

    private PrivateNatsServer server;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void runFinishesOnceTheRestartedServerIsBack() throws Exception {
        assumeTrue(PrivateNatsServer.binaryPresent(), "no nats-server binary at " + PrivateNatsServer.BINARY
                + " to run a private server that the test may restart (set TROUPE_NATS_SERVER)");
        assumeTrue(SoftwareCompany.python3OnPath(), "the software-company team runs its tests with python3, which is not on PATH");
        server = PrivateNatsServer.start(dir.resolve("nats"));
        NatsSettings settings = NatsSettings.of(server.url()).withPrefix("restart").withAckWait(Duration.ofSeconds(5));
        Team team = SoftwareCompany.team(dir.resolve("ws"));

        TeamStream workerStream = open(TeamStream.open(settings, SoftwareCompany.NAME));
        GatedAction writeTasks = new GatedAction("WriteTasks");
        for (String role : SoftwareCompany.ROLES) {
            RoleWorker.Builder b = RoleWorker.builder(workerStream, team, role).name(role);
            if (role.equals("Eve")) {
                b.interceptor(writeTasks);
            }
            open(b.build().start(1));
        }
        TeamStream coordinatorStream = open(TeamStream.open(settings, SoftwareCompany.NAME));
        RunHandle run = Coordinator.of(coordinatorStream, team, List.of()).start(SoftwareCompany.idea());

        writeTasks.awaitStarted();
        server.stop();                     // Eve is in the middle of WriteTasks; nobody can publish or read now
        Instant down = Instant.now();
        writeTasks.release();              // her call ends while the server is away
        writeTasks.awaitReturned();
        server.startAgain();
        RunResult result = run.await(Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError("the run did not end"));

        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        List<Message> stored = RunRecords.storedMessages(coordinatorStream, result.runId());
        assertThat(stored).extracting(Message::id).doesNotHaveDuplicates();
        Map<String, Long> perAction = stored.stream().collect(Collectors.groupingBy(Message::causeBy, Collectors.counting()));
        assertThat(perAction).isEqualTo(Map.of("UserRequirement", 1L, "WritePRD", 1L, "WriteDesign", 1L, "WriteTasks", 1L,
                "WriteCode", 1L, "WriteTests", 1L, "RunTests", 1L));
        Message tasks = stored.stream().filter(m -> m.causeBy().equals("WriteTasks")).findFirst().orElseThrow();
        assertThat(tasks.createdAt()).as("WriteTasks was written after the server went away").isAfter(down);
        assertThat(result.messages()).extracting(Message::id).containsExactlyElementsOf(stored.stream().map(Message::id).toList());
    }

    private <T extends AutoCloseable> T open(T c) {
        open.add(c);
        return c;
    }
}
