package dev.troupe.agents.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.journal.JdbcJournal;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.role.ReactMode;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.role.CallOutcome;
import dev.troupe.agents.role.StepCall;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.testing.RecordingBackend;
import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.journal.JournaledRun;
import dev.troupe.memory.journal.RunJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume in one JVM: a journal that dies at its Nth write stands in for a process killed there,
 * at every write of a pipeline that has every kind of step (two actions in one step, a fan-out, a
 * join, files, a command, a react loop and a plan).
 */
class ResumeTest {
    private static final String IDEA = "A field guide to tide pools";

    /** Every reply depends only on the call's role, action and news, so every run gives the same documents. */
    private static final String SCRIPT = """
            replies:
              - action: Brief
                reply: "Brief: tide pools for beginners"
              - action: Scope
                reply: '{"parts": ["habitats", "species"]}'
              - action: DraftA
                reply: "Habitats: rocks, pools, kelp"
              - action: DraftB
                reply: "Species: anemones, crabs"
              - action: DraftC
                reply: "Safety: watch the tide"
              - action: Assemble
                reply: '{"files": [{"path": "guide.md", "content": "# Guide\\nHabitats\\nSpecies\\nSafety\\n"}]}'
              - action: _think
                when: 'already took for this news\\s+Edit, Title'
                reply: '{"next": "STOP"}'
              - action: _think
                when: 'already took for this news\\s+Edit\\s'
                reply: '{"next": "Title"}'
              - action: _think
                reply: '{"next": "Edit"}'
              - action: Edit
                reply: "Edited guide"
              - action: Title
                reply: "Tide Pools, Gently"
              - action: _plan
                reply: '{"tasks": [{"id": "s", "action": "Summarize", "instruction": "sum up", "dependsOn": []},
                                   {"id": "i", "action": "Index", "instruction": "index it", "dependsOn": ["s"]}]}'
              - action: Summarize
                reply: "Summary of the guide"
              - action: Index
                reply: "Index: anemones, crabs, kelp"
            """;

    @TempDir
    Path dir;

    private Database database;
    private JdbcJournal journal;
    private int workspaces;

    @BeforeEach
    void openJournal() throws IOException {
        // On tmpfs when there is one: the sweep writes a few thousand entries, each synced to disk.
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "troupe-resume-test-") : dir;
        database = Database.sqlite(base.resolve("journal.db"));
        journal = JdbcJournal.open(database);
    }

    @AfterEach
    void closeJournal() throws IOException {
        journal.close();
        Path file = Path.of(database.label().substring("sqlite:".length()));
        if (file.startsWith("/dev/shm")) {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            Files.deleteIfExists(file.getParent());
        }
    }

    private static Role role(String name, String... watch) {
        return Role.builder(name).watch(watch).actions(Action.text("Draft" + name.charAt(0), "Draft {{requirement}}")).build();
    }

    private Team team(ModelBackend model, Journal j) {
        return team(model, j, dir.resolve("ws-" + workspaces++));
    }

    /** The team of a resumed run: no workspace of its own, so it takes the run's. */
    private Team resuming(ModelBackend model, Journal j) {
        return team(model, j, null);
    }

    private Team team(ModelBackend model, Journal j, Path workspace, RunListener... listeners) {
        Team.Builder b = Team.builder("relay");
        List.of(listeners).forEach(b::listener);
        return b
                .role(Role.builder("Lead").watch(Message.USER_REQUIREMENT).actions(
                        Action.text("Brief", "Write a brief for {{requirement}}"),
                        Action.structured("Scope", "Scope {{requirement}} after {{Brief}}", Fakes.json("""
                                {"type": "object", "required": ["parts"],
                                 "properties": {"parts": {"type": "array", "items": {"type": "string"}}}}"""))).build())
                .role(Role.builder("Ada").watch("Scope").actions(Action.text("DraftA", "Draft {{Scope.parts.0}}")).build())
                .role(Role.builder("Ben").watch("Scope").actions(Action.text("DraftB", "Draft {{Scope.parts.1}}")).build())
                .role(Role.builder("Cy").watch("Brief").actions(Action.text("DraftC", "Draft safety notes for {{Brief}}")).build())
                .role(Role.builder("Joiner").watch("DraftA", "DraftB", "DraftC").waitForAll(true).actions(
                        Action.builder("Assemble").instruction("Assemble {{DraftA}} {{DraftB}} {{DraftC}} into guide.md")
                                .schema(Fakes.json("""
                                        {"type": "object", "required": ["files"], "properties": {"files": {"type": "array"}}}"""))
                                .writesFiles(true).build()).build())
                .role(Role.builder("Checker").watch("Assemble").actions(
                        Action.builder("CountLines").command(CommandSpec.of("wc -l < guide.md")).build()).build())
                .role(Role.builder("Wren").watch("CountLines").mode(ReactMode.REACT).maxReactLoop(3).actions(
                        Action.text("Edit", "Edit the guide of {{CountLines}} lines"),
                        Action.text("Title", "Title the guide")).build())
                .role(Role.builder("Pam").watch("Title").mode(ReactMode.PLAN_AND_ACT).actions(
                        Action.text("Summarize", "Summarize: {{task}}"),
                        Action.text("Index", "Index: {{task}}")).build())
                .model(model)
                .journal(j)
                .workspace(workspace)
                .retryPolicy(RetryPolicy.none())
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    private static RecordingBackend model() {
        return new RecordingBackend(Fakes.script(SCRIPT));
    }

    /** The run's documents as comparable text: each message but the requirement, without ids and times. */
    private static List<String> documents(RunResult r) {
        return r.messages().stream().filter(m -> !m.causeBy().equals(Message.USER_REQUIREMENT))
                .map(m -> m.sender() + "/" + m.causeBy() + " round " + m.round() + " to " + m.sendTo() + ": " + m.content()
                        + m.payload().map(p -> " " + p).orElse(""))
                .sorted().toList();
    }

    private static Map<String, Long> callsPerAction(RecordingBackend model) {
        return model.actions().stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    private Map<String, Long> journaledCallsPerAction(String runId) {
        JournaledRun run = journal.store().load(runId).orElseThrow();
        return run.actions().stream().filter(j -> j.entry().modelCalls() > 0).collect(Collectors.groupingBy(
                j -> j.entry().action(), TreeMap::new, Collectors.summingLong(j -> j.entry().modelCalls())));
    }

    private static Map<String, Long> minus(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, -v, Long::sum));
        out.values().removeIf(v -> v == 0);
        return out;
    }

    @Test
    void aRunKilledAtAnyJournalWriteResumesToTheSameDocumentsWithoutRepeatingACompletedCall() throws Exception {
        RecordingBackend referenceModel = model();
        RunResult reference = team(referenceModel, journal).run(IDEA);
        assertThat(reference.status()).as(reference.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        JournaledRun referenceJournal = journal.store().load(reference.runId()).orElseThrow();
        int writes = referenceJournal.messages().size() + referenceJournal.actions().size();
        assertThat(writes).as("messages and completed calls the pipeline journals").isEqualTo(12 + 15);
        Map<String, Long> referenceCalls = callsPerAction(referenceModel);
        assertThat(journaledCallsPerAction(reference.runId())).isEqualTo(referenceCalls);

        for (int killAt = 1; killAt <= writes; killAt++) {
            String at = "killed at journal write " + killAt;
            RecordingBackend dyingModel = model();
            DyingJournal dying = new DyingJournal(journal, killAt);
            RunResult killed = team(dyingModel, dying).run(IDEA);
            dying.awaitWritesDone();
            assertThat(killed.status()).as(at).isEqualTo(RunStatus.FAILED);
            assertThat(journal.store().load(killed.runId()).orElseThrow().summary().status()).as(at).isEqualTo(RunJournal.RUNNING);
            Map<String, Long> journaledBefore = journaledCallsPerAction(killed.runId());

            RecordingBackend resumedModel = model();
            RunResult resumed = resuming(resumedModel, journal).resume(killed.runId());

            assertThat(resumed.status()).as(at + ": " + resumed.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(resumed.runId()).isEqualTo(killed.runId());
            assertThat(documents(resumed)).as(at).isEqualTo(documents(reference));
            assertThat(callsPerAction(resumedModel)).as(at + ": the resumed run calls only what was not journaled")
                    .isEqualTo(minus(referenceCalls, journaledBefore));
            assertThat(journaledCallsPerAction(killed.runId())).as(at + ": every call is journaled once").isEqualTo(referenceCalls);
            assertThat(resumed.totalUsage().calls()).as(at + ": usage counts the earlier attempt's calls")
                    .isEqualTo(reference.totalUsage().calls());
            assertThat(resumed.workspace()).as(at).isEqualTo(killed.workspace());
            assertThat(resumed.workspace().orElseThrow().resolve("guide.md")).as(at).hasContent("# Guide\nHabitats\nSpecies\nSafety\n");
            assertThat(journal.store().load(killed.runId()).orElseThrow().summary().status()).isEqualTo("SUCCEEDED");
        }
    }

    /** Pam plans a summary and an index; the index must be JSON, with one repair. */
    private static Team planner(ModelBackend model, Journal j) {
        return Team.builder("planner")
                .role(Role.builder("Pam").watch(Message.USER_REQUIREMENT).mode(ReactMode.PLAN_AND_ACT).actions(
                        Action.text("Summarize", "Summarize: {{task}}"),
                        Action.builder("Index").instruction("Index: {{task}}").maxRepairs(1).schema(Fakes.json("""
                                {"type": "object", "required": ["terms"],
                                 "properties": {"terms": {"type": "array", "items": {"type": "string"}}}}""")).build()).build())
                .model(model).journal(j).retryPolicy(RetryPolicy.none()).build();
    }

    @Test
    void aFailedTaskThePlanWentOnFromIsNotCalledAgainOnResume() {
        // Pam's first plan indexes in a way that fails validation; she re-plans, and the run dies at the journal write
        // of the index that works. On resume the failed call and the re-plan come from the journal.
        String script = """
                replies:
                  - action: _plan
                    when: 'The last plan failed'
                    reply: '{"tasks": [{"id": "i2", "action": "Index", "instruction": "index again, as JSON", "dependsOn": []}]}'
                  - action: _plan
                    reply: '{"tasks": [{"id": "s", "action": "Summarize", "instruction": "sum up", "dependsOn": []},
                                       {"id": "i", "action": "Index", "instruction": "index it", "dependsOn": ["s"]}]}'
                  - action: Summarize
                    reply: "Summary of the guide"
                  - action: Index
                    when: 'index again'
                    reply: '{"terms": ["anemones", "kelp"]}'
                  - action: Index
                    reply: "anemones, kelp"
                """;
        RecordingBackend reference = new RecordingBackend(Fakes.script(script));
        RunResult whole = planner(reference, journal).run(IDEA);
        assertThat(whole.status()).as(whole.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(reference.actions()).as("plan, summary, two failing index calls, re-plan, index")
                .containsExactly("_plan", "Summarize", "Index", "Index", "_plan", "Index");

        DyingJournal dying = new DyingJournal(journal, e -> e instanceof CompletedCall c && c.call().action().equals("Index")
                && c.outcome() instanceof CallOutcome.Output);
        RunResult killed = planner(new RecordingBackend(Fakes.script(script)), dying).run(IDEA);
        dying.awaitWritesDone();
        assertThat(killed.status()).isEqualTo(RunStatus.FAILED);

        RecordingBackend resumedModel = new RecordingBackend(Fakes.script(script));
        RunResult resumed = planner(resumedModel, journal).resume(killed.runId());

        assertThat(resumed.status()).as(resumed.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumedModel.actions()).as("only the index whose completion was lost runs again").containsExactly("Index");
        assertThat(resumed.payload("Index").orElseThrow().path("terms")).hasSize(2);
        assertThat(resumed.totalUsage().calls()).as("the failed calls' usage is counted once").isEqualTo(whole.totalUsage().calls());
    }

    @Test
    void aMessageLostWithTheProcessIsPublishedAgainUnderItsOriginalId() {
        List<Message> built = new CopyOnWriteArrayList<>();
        RunListener keep = new RunListener() {
            @Override
            public void onActionFinished(RunEvent.ActionFinished e) {
                built.add(e.output());
            }
        };
        // Killed at the write of Scope's message: Scope's call is journaled, its message is not.
        DyingJournal dyingJournal = new DyingJournal(journal, e -> e instanceof Message m && m.causeBy().equals("Scope"));
        RunResult killed = team(model(), dyingJournal, dir.resolve("ws-lost"), keep).run(IDEA);
        dyingJournal.awaitWritesDone();
        Message lost = built.stream().filter(m -> m.causeBy().equals("Scope")).findFirst().orElseThrow();
        JournaledRun before = journal.store().load(killed.runId()).orElseThrow();
        assertThat(before.actions()).extracting(j -> j.entry().action()).contains("Scope");
        assertThat(before.messages()).extracting(j -> j.entry().causeBy()).doesNotContain("Scope");

        RunResult resumed = resuming(model(), journal).resume(killed.runId());

        Message scope = resumed.document("Scope").orElseThrow();
        assertThat(scope.id()).isEqualTo(lost.id());
        assertThat(scope.content()).isEqualTo(lost.content());
        assertThat(resumed.document("DraftA").orElseThrow().parents()).containsExactly(scope.id());
        assertThat(resumed.messages()).extracting(Message::id).doesNotHaveDuplicates()
                .startsWith(before.messages().stream().map(j -> j.entry().messageId()).toArray(String[]::new));
    }

    @Test
    void aFinishedRunResumesWithoutCallingAnything() {
        RunResult done = team(model(), journal).run(IDEA);

        RecordingBackend again = model();
        RunResult resumed = resuming(again, journal).resume(done.runId());

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(again.calls()).isZero();
        assertThat(documents(resumed)).isEqualTo(documents(done));
        assertThat(journal.store().load(done.runId()).orElseThrow().summary().attempts()).isEqualTo(2);
    }

    @Test
    void aFailedRunResumesFromTheFailedStep() {
        AtomicBoolean broken = new AtomicBoolean(true);
        ModelBackend script = Fakes.script(SCRIPT);
        RecordingBackend flaky = new RecordingBackend(Fakes.backend("flaky", r -> {
            if (r.action().equals("Title") && broken.get()) {
                throw new IllegalStateException("the model is down");
            }
            return script.chat(r);
        }));
        RunResult failed = team(flaky, journal).run(IDEA);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(journal.store().load(failed.runId()).orElseThrow().summary().status()).isEqualTo("FAILED");

        broken.set(false);
        RecordingBackend fixed = model();
        RunResult resumed = resuming(fixed, journal).resume(failed.runId());

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fixed.actions()).as("the think call that chose Title was journaled; Title and what follows run")
                .containsExactlyInAnyOrder("Title", "_think", "_plan", "Summarize", "Index")
                .startsWith("Title");
    }

    @Test
    void aRunThatFailedOnAnActionResumesAndRunsTheActionAgain() {
        AtomicBoolean broken = new AtomicBoolean(true);
        ModelBackend script = Fakes.script(SCRIPT);
        ModelBackend flaky = Fakes.backend("flaky", r -> r.action().equals("Scope") && broken.get()
                ? Fakes.reply("no parts today") : script.chat(r));
        RunResult failed = team(flaky, journal).run(IDEA);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(journal.store().load(failed.runId()).orElseThrow().actions())
                .as("the failed call is journaled").anyMatch(j -> j.entry().action().equals("Scope"));

        RunResult stillFailing = resuming(flaky, journal).resume(failed.runId());
        assertThat(stillFailing.status()).as(stillFailing.error().orElse("")).isEqualTo(RunStatus.FAILED);
        assertThat(stillFailing.error().orElse("")).contains("Scope");

        broken.set(false);
        RecordingBackend fixed = model();
        RunResult resumed = resuming(fixed, journal).resume(failed.runId());

        assertThat(resumed.status()).as(resumed.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fixed.actions()).as("Brief was journaled; the failed Scope runs again").doesNotContain("Brief").startsWith("Scope");
        assertThat(journal.store().load(failed.runId()).orElseThrow().summary().attempts()).isEqualTo(3);
    }

    @Test
    void aRunThatFailedOnACommandRunsTheCommandAgainOnResume() throws IOException {
        Path workspace = dir.resolve("ws-command");
        Team checked = Team.builder("checked")
                .role(Role.builder("Lead").watch(Message.USER_REQUIREMENT).actions(Action.text("Brief", "Write a brief for {{requirement}}")).build())
                .role(Role.builder("Checker").watch("Brief").actions(Action.builder("Check")
                        .command(CommandSpec.of("test -f ready && echo ready").withMaxFailures(1)).build()).build())
                .model(model())
                .journal(journal)
                .workspace(workspace)
                .retryPolicy(RetryPolicy.none())
                .timeout(Duration.ofSeconds(20))
                .build();
        RunResult failed = checked.run(IDEA);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().orElse("")).contains("still fails after 1 runs");

        Files.writeString(workspace.resolve("ready"), "fixed");
        RecordingBackend again = model();
        RunResult resumed = Team.builder("checked")
                .role(checked.roles().get(0)).role(checked.roles().get(1))
                .model(again).journal(journal).retryPolicy(RetryPolicy.none()).timeout(Duration.ofSeconds(20)).build()
                .resume(failed.runId());

        assertThat(resumed.status()).as(resumed.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.document("Check").orElseThrow().content()).contains("ready").contains("[passed]");
        assertThat(again.calls()).as("the brief comes from the journal").isZero();
    }

    @Test
    void aTimedOutRunResumesWithALongerTimeLimit() {
        Path workspace = dir.resolve("ws-slow");
        Role lead = Role.builder("Lead").watch(Message.USER_REQUIREMENT).actions(Action.text("Brief", "Write a brief for {{requirement}}")).build();
        Role slow = Role.builder("Checker").watch("Brief").actions(Action.builder("Check")
                .command(CommandSpec.of("sleep 3 && echo checked").withTimeout(Duration.ofSeconds(30))).build()).build();
        RunResult timedOut = Team.builder("slow").role(lead).role(slow).model(model()).journal(journal).workspace(workspace)
                .retryPolicy(RetryPolicy.none()).timeout(Duration.ofMillis(1500)).build().run(IDEA);
        assertThat(timedOut.status()).as(timedOut.error().orElse("")).isEqualTo(RunStatus.TIMED_OUT);

        RecordingBackend again = model();
        RunResult resumed = Team.builder("slow").role(lead).role(slow).model(again).journal(journal)
                .retryPolicy(RetryPolicy.none()).timeout(Duration.ofSeconds(30)).build().resume(timedOut.runId());

        assertThat(resumed.status()).as(resumed.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.document("Check").orElseThrow().content()).contains("checked");
        assertThat(again.calls()).as("the brief comes from the journal").isZero();
    }

    @Test
    void aProcessStillRunningAfterItsRunWasResumedElsewhereCannotWriteAndStops() throws Exception {
        CountDownLatch inTitle = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ModelBackend script = Fakes.script(SCRIPT);
        ModelBackend slow = Fakes.backend("slow", r -> {
            if (r.action().equals("Title") && release.getCount() > 0) {
                inTitle.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return script.chat(r);
        });
        RunHandle old = team(slow, journal).start(IDEA);
        assertThat(inTitle.await(10, TimeUnit.SECONDS)).isTrue();

        RunHandle newer = resuming(slow, journal).startResume(old.runId());
        release.countDown();

        RunResult oldResult = old.await(Duration.ofSeconds(10)).orElseThrow();
        assertThat(oldResult.status()).isEqualTo(RunStatus.FAILED);
        assertThat(oldResult.error().orElseThrow()).contains("was resumed by another process (attempt 2)");
        RunResult newResult = newer.await(Duration.ofSeconds(10)).orElseThrow();
        assertThat(newResult.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(journal.store().load(old.runId()).orElseThrow().summary().status()).isEqualTo("SUCCEEDED");
    }

    @Test
    void resumingNeedsTheRunsOwnTeamAndAJournalThatHoldsIt() {
        RunResult done = team(model(), journal).run(IDEA);
        Team other = Team.builder("other").role(role("Solo", Message.USER_REQUIREMENT)).model(model()).journal(journal).build();

        assertThatThrownBy(() -> other.resume(done.runId())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is a run of team 'relay', not of 'other'");
        assertThat(journal.store().load(done.runId()).orElseThrow().summary().attempts()).as("nothing was claimed").isEqualTo(1);
        assertThatThrownBy(() -> team(model(), journal).resume(done.runId())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("keeps its files in " + done.workspace().orElseThrow()).hasMessageContaining("resume it with that workspace");
        assertThatThrownBy(() -> resuming(model(), journal).resume("no-such-run")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("No run 'no-such-run' in the journal sqlite:").hasMessageContaining("troupe runs list");
        Team unjournaled = Team.builder("relay").role(role("Solo", Message.USER_REQUIREMENT)).model(model()).build();
        assertThatThrownBy(() -> unjournaled.resume(done.runId())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("has no journal");
    }

    @Test
    void everyMessageIsJournaledBeforeAnyRoleSeesIt() {
        List<String> order = new ArrayList<>();
        Journal watching = new Journal() {
            @Override
            public Session begin(String runId, String team, String requirement, java.util.Optional<Path> workspace) {
                Session s = journal.begin(runId, team, requirement, workspace);
                return new Session() {
                    @Override
                    public void message(Message m) {
                        s.message(m);
                        synchronized (order) {
                            order.add("journaled " + m.causeBy());
                        }
                    }

                    @Override
                    public void completed(CompletedCall c) {
                        s.completed(c);
                    }

                    @Override
                    public void finished(RunStatus status, java.util.Optional<String> error) {
                        s.finished(status, error);
                    }
                };
            }

            @Override
            public Resumption resume(String runId, String team) {
                throw new UnsupportedOperationException();
            }
        };
        ModelBackend script = Fakes.script(SCRIPT);
        RecordingBackend model = new RecordingBackend(Fakes.backend("watched", r -> {
            synchronized (order) {
                order.add("called " + r.action());
            }
            return script.chat(r);
        }));

        assertThat(team(model, watching).run(IDEA).status()).isEqualTo(RunStatus.SUCCEEDED);

        assertThat(order).containsSubsequence("journaled UserRequirement", "called Brief")
                .containsSubsequence("journaled Brief", "called DraftC")
                .containsSubsequence("journaled Scope", "called DraftA")
                .containsSubsequence("journaled Title", "called _plan");
    }
}
