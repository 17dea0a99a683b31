package dev.troupe.busnats.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.journal.JdbcJournal;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunHandle;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.busnats.LocalNats;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.wire.ControlRecord;
import dev.troupe.memory.journal.JournaledRun;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How a coordinator ends distributed runs, with role workers in this JVM on the local NATS server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoordinatorTest {
    private static final String SCRIPT = """
            replies:
              - action: Outline
                reply: "1. Why 2. How"
              - action: Draft
                reply: "Virtual threads make blocking cheap."
            """;

    @TempDir
    Path dir;

    private TeamStream stream;
    private final List<RoleWorker> workers = new ArrayList<>();

    @BeforeEach
    void openStream() {
        LocalNats.assumeAvailable();
        stream = TeamStream.open(LocalNats.isolatedSettings().withAckWait(Duration.ofSeconds(2)), "blog");
    }

    @AfterEach
    void stop() {
        workers.forEach(RoleWorker::close);
        if (stream != null) {
            stream.delete();
            stream.close();
        }
    }

    private static Team.Builder blog(String script) {
        Role planner = Role.builder("Planner").watch("UserRequirement").actions(Action.text("Outline", "Outline {{requirement}}")).build();
        Role writer = Role.builder("Writer").watch("Outline").actions(Action.text("Draft", "Write from {{Outline}}")).build();
        return Team.builder("blog").role(planner).role(writer).model(Fakes.script(script));
    }

    private RoleWorker worker(Team team, String role, int replicas, Consumer<RoleWorker.Builder> configure) {
        RoleWorker.Builder b = RoleWorker.builder(stream, team, role);
        configure.accept(b);
        RoleWorker w = b.build().start(replicas);
        workers.add(w);
        return w;
    }

    private void workersFor(Team team) {
        team.roles().forEach(r -> worker(team, r.name(), 1, b -> { }));
    }

    @Test
    void runSucceedsOnceEveryRoleHasProcessedWhatItObservesAndReportsLikeAnInProcessRun() {
        Team team = blog(SCRIPT).build();
        workersFor(team);
        List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
        RunListener recorder = new RunListener() {
            @Override
            public void on(RunEvent e) {
                events.add(e);
            }
        };

        RunResult r = Coordinator.of(stream, team, List.of(recorder)).run("Virtual threads");

        assertThat(r.status()).as("error: %s", r.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.messages()).extracting(Message::causeBy).containsExactly("UserRequirement", "Outline", "Draft");
        assertThat(r.document("Draft")).get().extracting(Message::content).isEqualTo("Virtual threads make blocking cheap.");
        assertThat(r.totalUsage().calls()).isEqualTo(2);
        assertThat(r.usage()).containsOnlyKeys("Planner", "Writer");
        assertThat(events.getFirst()).isInstanceOf(RunEvent.RunStarted.class);
        assertThat(events.getLast()).isInstanceOf(RunEvent.RunFinished.class);
        assertThat(events).filteredOn(RunEvent.MessagePublished.class::isInstance).hasSize(3);
        assertThat(events).filteredOn(RunEvent.ActionFinished.class::isInstance)
                .map(e -> ((RunEvent.ActionFinished) e).output().id())
                .as("workers' events name outputs by the ids they were published under (two workers: no order between them)")
                .containsExactlyInAnyOrderElementsOf(r.messages().subList(1, 3).stream().map(Message::id).toList());
        assertThat(events).filteredOn(RunEvent.ModelCall.class::isInstance).hasSize(2);
    }

    @Test
    void failedStepEndsTheRunFailedWithItsError() {
        Team team = blog("replies:\n  - action: Outline\n    reply: \"1. Why\"\n").build();   // nothing answers Draft
        workersFor(team);

        RunResult r = Coordinator.of(stream, team, List.of()).run("Virtual threads");

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.error()).get().asString().contains("Draft");
    }

    @Test
    void stepPastTheRoundLimitEndsTheRunRoundLimit() {
        Team team = blog(SCRIPT).maxRounds(1).build();
        workersFor(team);

        RunResult r = Coordinator.of(stream, team, List.of()).run("Virtual threads");

        assertThat(r.status()).isEqualTo(RunStatus.ROUND_LIMIT);
        assertThat(r.error()).get().asString().contains("role 'Writer' would start round 2");
        assertThat(r.messages()).extracting(Message::causeBy).doesNotContain("Draft");
    }

    @Test
    void runWhoseRoleHasNoWorkerTimesOutNamingWhatItWaitedFor() {
        Team team = blog(SCRIPT).timeout(Duration.ofSeconds(3)).build();
        worker(team, "Planner", 1, b -> { });

        RunResult r = Coordinator.of(stream, team, List.of()).run("Virtual threads");

        assertThat(r.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(r.error()).get().asString().contains("role Writer on Outline").contains("troupe worker blog --role");
    }

    @Test
    void budgetSpansEveryWorkerOfTheRun() {
        Team team = blog(SCRIPT).budget(Budget.tokens(5)).build();   // the outline call alone uses more
        workersFor(team);

        RunResult r = Coordinator.of(stream, team, List.of()).run("Virtual threads");

        assertThat(r.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(r.error()).get().asString().contains("Writer").contains("token budget");
        assertThat(r.messages()).extracting(Message::causeBy).containsExactly("UserRequirement", "Outline");
    }

    @Test
    void cancelledRunEndsAtOnceAndItsLateOutputIsDropped() throws Exception {
        Team team = blog(SCRIPT).build();
        GatedAction outline = new GatedAction("Outline");
        RoleWorker planner = worker(team, "Planner", 1, b -> b.interceptor(outline));
        worker(team, "Writer", 1, b -> { });

        RunHandle run = Coordinator.of(stream, team, List.of()).start("Virtual threads");
        outline.awaitStarted();
        run.cancel();
        RunResult r = run.await(Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError("cancel did not end the run"));
        outline.release();   // the planner's call ends after the run did, and its step goes on to publish
        outline.awaitReturned();
        planner.close();     // waits for the step to end

        assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(RunRecords.storedMessages(stream, r.runId())).extracting(Message::causeBy).containsExactly("UserRequirement");
        assertThat(planner.stepsDone()).isZero();
    }

    @Test
    void aJournaledRunHoldsEveryMessageEveryStepAndItsEnd() {
        try (JdbcJournal journal = JdbcJournal.inWorkspace(dir)) {
            Team team = blog(SCRIPT).journal(journal).build();
            workersFor(team);

            RunResult r = Coordinator.of(stream, team, List.of()).run("Virtual threads");

            assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
            JournaledRun journaled = journal.store().load(r.runId()).orElseThrow();
            assertThat(journaled.summary().status()).isEqualTo("SUCCEEDED");
            assertThat(journaled.messages()).extracting(j -> j.entry().messageId())
                    .containsExactlyElementsOf(r.messages().stream().map(Message::id).toList());
            assertThat(journaled.actions()).extracting(j -> j.entry().role() + "/" + j.entry().action() + "/" + j.entry().modelCalls())
                    .containsExactly("Planner/Outline/1", "Writer/Draft/1");
        }
    }

    @Test
    void aRunWhoseCoordinatorStoppedIsFollowedToItsEndAndItsJournalCompleted() throws Exception {
        try (JdbcJournal journal = JdbcJournal.inWorkspace(dir)) {
            Team team = blog(SCRIPT).journal(journal).build();
            GatedAction outline = new GatedAction("Outline");
            worker(team, "Planner", 1, b -> b.interceptor(outline));
            worker(team, "Writer", 1, b -> { });
            DistributedRun first = (DistributedRun) Coordinator.of(stream, team, List.of()).start("Virtual threads");
            outline.awaitStarted();
            first.abandon();   // the coordinator process dies; the workers go on
            outline.release();

            RunResult r = Coordinator.of(stream, team, List.of()).resume(first.runId());

            assertThat(r.status()).as(r.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.runId()).isEqualTo(first.runId());
            assertThat(r.document("Draft").orElseThrow().content()).isEqualTo("Virtual threads make blocking cheap.");
            JournaledRun journaled = journal.store().load(r.runId()).orElseThrow();
            assertThat(journaled.summary().attempts()).isEqualTo(2);
            assertThat(journaled.summary().status()).isEqualTo("SUCCEEDED");
            assertThat(journaled.messages()).extracting(j -> j.entry().causeBy())
                    .containsExactly("UserRequirement", "Outline", "Draft");
            assertThat(journaled.actions()).extracting(j -> j.entry().action()).containsExactly("Outline", "Draft");
        }
    }

    @Test
    void followingARunOfAnotherTeamOrNoRunIsAClearError() {
        Team team = blog(SCRIPT).build();
        assertThatThrownBy(() -> Coordinator.of(stream, team, List.of()).follow("no-such-run"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("holds no run 'no-such-run'");
    }

    /** Announces this worker's outline call on {@code mine} and holds it until the other worker's is under way too. */
    private static ModelInterceptor meetOnOutline(CountDownLatch mine, CountDownLatch other) {
        return chain -> {
            if (chain.request().action().equals("Outline")) {
                mine.countDown();
                try {
                    if (!other.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the other planner never took an outline: the runs were not split");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.util.concurrent.CancellationException("interrupted while waiting for the other planner");
                }
            }
            return chain.proceed(chain.request());
        };
    }

    @Test
    void workersOfOneRoleSplitTheRunsBetweenThem() throws Exception {
        Team team = blog(SCRIPT).build();
        // Each planner's first outline waits until the other is inside one too: they cannot both be in a call unless they split the runs.
        CountDownLatch p1In = new CountDownLatch(1);
        CountDownLatch p2In = new CountDownLatch(1);
        worker(team, "Planner", 1, b -> b.name("P1").interceptor(meetOnOutline(p1In, p2In)));
        worker(team, "Planner", 1, b -> b.name("P2").interceptor(meetOnOutline(p2In, p1In)));
        worker(team, "Writer", 2, b -> { });
        Coordinator coordinator = Coordinator.of(stream, team, List.of());

        List<RunHandle> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(coordinator.start("Topic " + i));
        }
        Set<String> plannerWorkers = new java.util.HashSet<>();
        for (RunHandle h : runs) {
            RunResult r = h.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(r.status()).as("error: %s", r.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.documents().get("Outline")).hasSize(1);
            RunRecords.storedReports(stream, r.runId()).stream().filter(s -> s.role().equals("Planner"))
                    .forEach(s -> plannerWorkers.add(s.worker().substring(0, 2)));
        }
        assertThat(plannerWorkers).containsExactlyInAnyOrder("P1", "P2");
    }

    @Test
    void joinRoleWithTwoReplicasActsOnceOnAllItsInputs() {
        TeamDefinition def = TeamLoader.builtin("demo");
        ModelResolver noEnv = ModelResolver.withEnv(Map.of());
        Team team = def.toBuilder(def.resolve(def.offlineModel().orElseThrow(), noEnv), noEnv).build();
        RunResult inMemory = team.run(def.idea().orElseThrow());
        try (TeamStream demo = TeamStream.open(stream.settings(), "demo")) {
            List<RoleWorker> demoWorkers = new ArrayList<>();
            for (Role role : team.roles()) {
                demoWorkers.add(RoleWorker.builder(demo, team, role.name()).build().start(role.waitForAll() ? 2 : 1));
            }
            try {
                RunResult r = Coordinator.of(demo, team, List.of()).run(def.idea().orElseThrow());

                assertThat(r.status()).as("error: %s", r.error()).isEqualTo(RunStatus.SUCCEEDED);
                Map<String, List<String>> docs = r.documents().asMap().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().stream().map(Message::content).toList()));
                Map<String, List<String>> expected = inMemory.documents().asMap().entrySet().stream().collect(Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().stream().map(Message::content).toList()));
                assertThat(docs).isEqualTo(expected);
                assertThat(RunRecords.storedReports(demo, r.runId())).extracting(ControlRecord.StepDone::outcome)
                        .containsOnly(ControlRecord.Outcome.DONE);
            } finally {
                demoWorkers.forEach(RoleWorker::close);
                demo.delete();
            }
        }
    }
}
