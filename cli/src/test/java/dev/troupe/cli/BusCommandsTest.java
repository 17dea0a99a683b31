package dev.troupe.cli;

import static dev.troupe.cli.CliRun.troupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.troupe.busnats.NatsSettings;
import dev.troupe.busnats.TeamStream;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 'troupe worker' and 'troupe run --bus' end to end on the local NATS server, and their bad-input errors. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BusCommandsTest {
    private static final String URL = NatsSettings.defaultUrl();

    @TempDir
    Path dir;



    private static boolean natsUp() {
        try (Connection c = Nats.connect(new Options.Builder().server(URL).connectionTimeout(Duration.ofSeconds(2)).noReconnect()
                .errorListener(new io.nats.client.ErrorListener() {}).build())) {
            return c.getServerInfo().isJetStreamAvailable();
        } catch (Exception e) {
            return false;
        }
    }

    /** A two-role team of its own name, so the test's stream and consumers are its own. */
    private Path team(String name) throws Exception {
        Files.writeString(dir.resolve("script.yaml"), """
                replies:
                  - action: Outline
                    reply: "1. Why 2. How"
                  - action: Draft
                    reply: "Virtual threads make blocking cheap."
                """);
        Path file = dir.resolve("team.yaml");
        Files.writeString(file, """
                name: %s
                description: An outline, then a draft.
                model: scripted:script.yaml
                idea: Virtual threads
                roles:
                  - name: Planner
                    watch: [UserRequirement]
                    actions:
                      - name: Outline
                        instruction: Outline {{requirement}}
                  - name: Writer
                    watch: [Outline]
                    actions:
                      - name: Draft
                        instruction: Write from {{Outline}}
                """.formatted(name));
        return file;
    }

    @Test
    void runOnTheBusIsCarriedOutByWorkerCommandsAndReportsLikeAnInProcessRun() throws Exception {
        assumeTrue(natsUp(), "no NATS server with JetStream at " + URL + "; .ci/run starts one");
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = team(name);
        List<Thread> workers = new ArrayList<>();
        for (String role : List.of("Planner", "Writer")) {
            workers.add(Thread.ofPlatform().start(() -> TroupeCli.execute("worker", file.toString(), "--role", role, "--nats", URL, "-q")));
        }
        try {
            Path report = dir.resolve("report.html");
            CliRun o = troupe("run", file.toString(), "--bus", URL, "--workspace", dir.resolve("ws").toString(),
                    "--report", report.toString());

            assertThat(o.exit()).as(o.out() + o.err()).isZero();
            assertThat(o.out()).contains("SUCCEEDED").contains("Outline by Planner").contains("Draft by Writer")
                    .contains("[scripted model output]").contains("Planner        Outline");
            assertThat(report).isRegularFile().content().contains("Draft");

            // The coordinator journaled the run; following it again reports how it ended.
            Matcher journaled = Pattern.compile("run (\\S+) is journaled in").matcher(o.err());
            assertThat(journaled.find()).as(o.err()).isTrue();
            String runId = journaled.group(1);
            CliRun shown = troupe("runs", "show", runId, "--workspace", dir.resolve("ws").toString());
            assertThat(shown.exit()).as(shown.out() + shown.err()).isZero();
            assertThat(shown.out()).contains("SUCCEEDED").contains("Outline").contains("Draft");
            CliRun followed = troupe("run", file.toString(), "--bus", URL, "--resume", runId, "--workspace", dir.resolve("ws").toString(), "-q");
            assertThat(followed.exit()).as(followed.out() + followed.err()).isZero();
            assertThat(followed.out()).contains("SUCCEEDED");
        } finally {
            workers.forEach(Thread::interrupt);
            for (Thread t : workers) {
                t.join(10_000);
            }
            try (TeamStream s = TeamStream.open(NatsSettings.of(URL), name)) {
                s.delete();
            }
        }
    }

    @Test
    void workerForARoleTheTeamDoesNotHaveIsBadInputListingItsRoles() throws Exception {
        Path file = team("cli-" + UUID.randomUUID().toString().substring(0, 8));
        CliRun o = troupe("worker", file.toString(), "--role", "Nobody", "--nats", URL);

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("has no role 'Nobody'").contains("Planner").contains("Writer");
    }

    @Test
    void runOnABusNobodyServesIsBadInputNamingTheUrl() throws Exception {
        Path file = team("cli-unreachable");
        CliRun o = troupe("run", file.toString(), "--bus", "nats://127.0.0.1:1", "-q");

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("Cannot reach NATS at nats://127.0.0.1:1").contains("nats-server -js");
    }
}
