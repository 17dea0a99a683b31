package dev.troupe.busnats.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.role.internal.RoleAgent;
import dev.troupe.agents.role.internal.RunContext;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.agents.testing.RecordingBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A role's memory rebuilt from the run's messages is what an agent that had lived through the run would hold. */
class RoleMemoryTest {
    private static final String RUN = "run-1";

    private static Message msg(String sender, String causeBy, List<String> sendTo, Message... parents) {
        return Message.builder().runId(RUN).round(1).sender(sender).causeBy(causeBy).sendTo(sendTo).content(causeBy + " by " + sender)
                .parents(List.of(parents).stream().map(Message::id).toList()).build();
    }

    private static Message testRun(boolean passed, Message parent) {
        return Message.builder().runId(RUN).round(1).sender("Edward").causeBy("RunTests").sendTo(passed ? List.of() : List.of("Alex"))
                .content(passed ? "passed" : "failed").payload(Json.MAPPER.createObjectNode().put("passed", passed))
                .parents(List.of(parent.id())).build();
    }

    private static final Role ALEX = Role.builder("Alex").watch("WriteTasks")
            .actions(Action.builder("WriteCode").instruction("Code {{WriteTasks}}").on("WriteTasks").build(),
                    Action.builder("FixCode").instruction("Fix it.\n{{history}}").on("RunTests").build())
            .build();

    @Test
    void memoryIsEachObservedMessageFollowedByWhatTheRoleSaidAboutIt() {
        Message req = msg("user", "UserRequirement", List.of());
        Message tasks = msg("Eve", "WriteTasks", List.of(), req);
        Message code = msg("Alex", "WriteCode", List.of(), tasks);
        Message tests = msg("Edward", "WriteTests", List.of(), code);
        Message run1 = testRun(false, code);
        Message fix = msg("Alex", "FixCode", List.of(), run1);
        Message run2 = testRun(false, fix);

        RoleMemory.Recollection r = RoleMemory.recall(ALEX, List.of(req, tasks, code, tests, run1, fix, run2), run2);

        assertThat(r.memory()).containsExactly(tasks, code, run1, fix);
        assertThat(r.held()).isEmpty();
    }

    @Test
    void outputsOfAnEarlierAttemptAtTheSameMessageAreForgotten() {
        Message tasks = msg("Eve", "WriteTasks", List.of());
        Message codeFromKilledWorker = msg("Alex", "WriteCode", List.of(), tasks);

        RoleMemory.Recollection r = RoleMemory.recall(ALEX, List.of(tasks, codeFromKilledWorker), tasks);

        assertThat(r.memory()).isEmpty();
    }

    @Test
    void joinHoldsWhatItObservedUntilEveryWatchedActionHasArrived() {
        Role dan = Role.builder("Dan").watch("SketchDesign", "WriteTestPlan").waitForAll(true)
                .actions(Action.text("ReviewPlan", "Review {{news}}")).build();
        Message req = msg("user", "UserRequirement", List.of());
        Message design = msg("Bob", "SketchDesign", List.of(), req);
        Message plan = msg("Eve", "WriteTestPlan", List.of(), req);
        Message review = msg("Dan", "ReviewPlan", List.of(), design, plan);
        Message laterPlan = msg("Eve", "WriteTestPlan", List.of(), req);

        assertThat(RoleMemory.recall(dan, List.of(req, design, plan), plan).held()).containsExactly(design);
        RoleMemory.Recollection afterJoin = RoleMemory.recall(dan, List.of(req, design, plan, review, laterPlan), laterPlan);
        assertThat(afterJoin.memory()).as("the review follows the last message of its news").containsExactly(design, plan, review);
        assertThat(afterJoin.held()).isEmpty();
    }

    @Test
    void failedCommandRunsAreCountedPerAction() {
        Role edward = Role.builder("Edward").watch("WriteCode", "FixCode")
                .actions(Action.builder("RunTests").command(CommandSpec.of("true")).build()).build();
        Message code = msg("Alex", "WriteCode", List.of());
        Message fail1 = testRun(false, code);
        Message fix1 = msg("Alex", "FixCode", List.of(), fail1);
        Message fail2 = testRun(false, fix1);
        Message fix2 = msg("Alex", "FixCode", List.of(), fail2);

        assertThat(RoleMemory.recall(edward, List.of(code, fail1, fix1, fail2, fix2), fix2).commandFailures())
                .containsExactlyEntriesOf(java.util.Map.of("RunTests", 2));
    }

    @Test
    void restoredAgentPromptsWithTheRecalledHistory() {
        Message tasks = msg("Eve", "WriteTasks", List.of());
        Message code = msg("Alex", "WriteCode", List.of(), tasks);
        Message run1 = testRun(false, code);
        RecordingBackend model = new RecordingBackend(Fakes.script("replies:\n  - action: FixCode\n    reply: fixed\n"));
        List<Message> published = new ArrayList<>();
        RoleAgent agent = new RoleAgent(ALEX, model, context(published));

        RoleMemory.restore(agent, RoleMemory.recall(ALEX, List.of(tasks, code, run1), run1));
        agent.step(List.of(run1), 2);

        assertThat(model.prompts("FixCode")).singleElement().asString()
                .contains("WriteTasks by Eve").contains("WriteCode by Alex").contains("failed");
        assertThat(published).extracting(Message::causeBy).containsExactly("FixCode");
    }

    private static RunContext context(List<Message> published) {
        ModelGateway gateway = ModelGateway.builder().build();
        return new RunContext() {
            @Override public String runId() { return RUN; }
            @Override public String requirement() { return "A snake game"; }
            @Override public ModelGateway gateway() { return gateway; }
            @Override public RunListener listener() { return new RunListener() {}; }
            @Override public void publish(Message message) { published.add(message); }
            @Override public Optional<Path> workspace() { return Optional.empty(); }
            @Override public ImmutableList<Message> history() { return ImmutableList.copyOf(published); }
        };
    }
}
