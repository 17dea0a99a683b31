package dev.troupe.agents.role.internal;

import dev.troupe.agents.role.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.action.internal.ActionContext;
import dev.troupe.agents.action.internal.ActionExecutor;
import dev.troupe.agents.action.internal.ActionOutput;
import dev.troupe.agents.command.internal.CommandRunner;
import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.action.internal.TemplateVariables;
import dev.troupe.agents.action.internal.WorkspaceFiles;
import dev.troupe.agents.command.internal.CommandRunner;
import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A role at work in one run: it remembers what it has observed and said, and on news takes its
 * actions as its mode ({@link ByOrder}, {@link React}, {@link PlanAndAct}) decides, publishing
 * each action's message. Steps of one agent never overlap (the scheduler ensures it).
 */
public final class RoleAgent {
    private final Role role;
    private final ModelBackend model;
    private final RunContext run;
    private final List<Message> memory = new ArrayList<>();
    private final List<Message> held = new ArrayList<>();
    private final Map<String, Integer> commandFailures = new HashMap<>();
    private final StepCalls calls;
    private final RoleMode mode;

    public RoleAgent(Role role, ModelBackend model, RunContext run) {
        this.role = role;
        this.model = model;
        this.run = run;
        this.calls = new StepCalls(role.name(), run);
        this.mode = RoleMode.of(role);
    }

    public Role role() {
        return role;
    }

    public ModelBackend model() {
        return model;
    }

    /**
     * Makes this agent remember exactly what a replica of it remembered at some point of the run,
     * whatever it remembered before: the messages it observed and published in order, the news a
     * join role still holds, and how often each command action has failed. A worker that takes up a
     * run another process began uses it; call it only between steps.
     */
    public void restore(List<Message> observedAndPublished, List<Message> stillHeld, Map<String, Integer> failuresByCommand) {
        memory.clear();
        memory.addAll(observedAndPublished);
        held.clear();
        held.addAll(stillHeld);
        commandFailures.clear();
        commandFailures.putAll(failuresByCommand);
    }

    /** Reacts to {@code news}; every message it publishes carries {@code round}. */
    public void step(List<Message> incoming, int round) {
        memory.addAll(incoming);
        List<Message> news = incoming;
        if (role.waitForAll()) {
            held.addAll(incoming);
            if (!role.watch().stream().allMatch(w -> latest(w).isPresent())) {
                return;
            }
            news = List.copyOf(held);
            held.clear();
        }
        calls.begin(news, round);
        mode.step(new StepTurn(news, round));
    }

    /** One step of this agent as its mode sees it. */
    private final class StepTurn implements RoleMode.Turn {
        private final List<Message> news;
        private final int round;

        StepTurn(List<Message> news, int round) {
            this.news = news;
            this.round = round;
        }

        @Override
        public List<Message> news() {
            return news;
        }

        @Override
        public void act(Action action, Optional<String> task, boolean lastOfStep) {
            RoleAgent.this.act(action, news, round, task, lastOfStep);
        }

        @Override
        public JsonNode decide(Action step, Map<String, String> literals, Function<JsonNode, ImmutableList<String>> check) {
            ActionContext ctx = new ActionContext(run.runId(), role.name(), role.systemPrompt(),
                    TemplateVariables.lookup(new StepScope(news, Optional.empty()), literals), false, model, run.gateway(), run.listener(), check);
            return calls.output(step.name(), () -> ActionExecutor.execute(step, ctx)).payload().orElseThrow();
        }
    }

    /** Takes {@code action}; {@code lastOfStep}: the step ends once its message is published. */
    private void act(Action action, List<Message> news, int round, Optional<String> task, boolean lastOfStep) {
        RoleMode.checkNotCancelled();
        boolean events = run.listener().wantsEvents();
        long start = System.nanoTime();
        if (events) {
            run.listener().on(new RunEvent.ActionStarted(run.runId(), Instant.now(), role.name(), action.name(), round));
        }
        ActionOutput out;
        ImmutableList<String> sendTo = action.sendTo();
        try {
            if (action.command().isPresent()) {
                out = runCommand(action);
                if (!out.payload().orElseThrow().path("passed").asBoolean()) {
                    sendTo = action.command().get().onFailureSendTo().isEmpty() ? sendTo : action.command().get().onFailureSendTo();
                }
            } else {
                // Files are written inside the call, so a call found in the journal has written them already.
                out = calls.outputThenPublish(action.name(), () -> {
                    ActionOutput o = ActionExecutor.execute(action, context(news, task,
                            action.writesFiles() ? WorkspaceFiles::problems : ActionContext.noExtraCheck(), true));
                    if (action.writesFiles()) {
                        WorkspaceFiles.write(o.payload().orElseThrow(), workspace(action));
                    }
                    return o;
                });
            }
        } catch (RuntimeException e) {
            run.gateway().ledger().recordWallTime(role.name(), action.name(), Duration.ofNanos(System.nanoTime() - start));
            run.listener().on(new RunEvent.ActionFailed(run.runId(), Instant.now(), role.name(), action.name(), round,
                    String.valueOf(e.getMessage())));
            throw e;
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        run.gateway().ledger().recordWallTime(role.name(), action.name(), wall);
        Message.Builder mb = Message.builder()
                .id(calls.messageId())
                .runId(run.runId())
                .round(round)
                .sender(role.name())
                .sendTo(sendTo)
                .causeBy(action.name())
                .content(out.content())
                .parents(ids(news))
                .model(out.model().orElse(null));
        out.payload().ifPresent(mb::payload);
        Message message = mb.build();
        memory.add(message);
        if (events) {
            // Reported before publishing: publishing may start the next role's step at once.
            run.listener().on(new RunEvent.ActionFinished(run.runId(), Instant.now(), role.name(), action.name(), round, message, wall));
        }
        if (lastOfStep) {
            run.publishLast(message);
        } else {
            run.publish(message);
        }
    }

    private static ImmutableList<String> ids(List<Message> news) {
        if (news.size() == 1) {
            return ImmutableList.of(news.getFirst().id());
        }
        ImmutableList.Builder<String> ids = ImmutableList.builderWithExpectedSize(news.size());
        for (Message m : news) {
            ids.add(m.id());
        }
        return ids.build();
    }

    /** Runs the action's command; past its failure cap the action fails with the last output. */
    private ActionOutput runCommand(Action action) {
        CommandSpec spec = action.command().orElseThrow();
        // The cap is checked inside the call, so the journal holds the run that ended the step as a failure: a
        // resumed run runs that command again instead of replaying its output.
        ObjectNode payload = calls.command(action.name(), () -> {
            ObjectNode p = CommandRunner.run(spec, workspace(action), role.name(), action.name());
            int failuresWithThis = commandFailures.getOrDefault(action.name(), 0) + 1;
            if (!p.path("passed").asBoolean() && failuresWithThis >= spec.maxFailures()) {
                throw new ActionFailedException(role.name(), action.name(), "'" + spec.command() + "' still fails after "
                        + failuresWithThis + " runs (exit " + p.path("exitCode").asInt() + "). Last output:\n" + p.path("output").asText());
            }
            return p;
        });
        boolean passed = payload.path("passed").asBoolean();
        int failures = passed ? commandFailures.getOrDefault(action.name(), 0)
                : commandFailures.merge(action.name(), 1, Integer::sum);
        String output = payload.path("output").asText();
        String content = "$ " + spec.command() + "\n" + output + "\n[" + (passed ? "passed" : payload.path("timedOut").asBoolean()
                ? "timed out" : "failed with exit code " + payload.path("exitCode").asInt()) + (passed ? "" : ", failure " + failures
                + " of at most " + spec.maxFailures()) + "]";
        return new ActionOutput(content, Optional.of(payload), Optional.empty(), false);
    }

    private Path workspace(Action action) {
        return run.workspace().orElseThrow(() -> new ActionFailedException(role.name(), action.name(),
                "this action needs a workspace; set one with Team.builder().workspace(...) or --workspace"));
    }

    private ActionContext context(List<Message> news, Optional<String> task,
                                  Function<JsonNode, ImmutableList<String>> extraCheck, boolean appendInput) {
        return new ActionContext(run.runId(), role.name(), role.systemPrompt(), TemplateVariables.lookup(new StepScope(news, task)),
                appendInput, model, run.gateway(), run.listener(), extraCheck, run.reflection());
    }

    /** What this agent's instructions are rendered against in one step; the memory is read when a variable is. */
    private final class StepScope implements TemplateVariables.Scope {
        private final List<Message> news;
        private final Optional<String> task;

        StepScope(List<Message> news, Optional<String> task) {
            this.news = news;
            this.task = task;
        }

        @Override public String requirement() { return run.requirement(); }
        @Override public List<Message> history() { return memory; }
        @Override public List<Message> news() { return news; }
        @Override public Optional<String> task() { return task; }
        @Override public String roleName() { return role.name(); }
        @Override public String roleProfile() { return role.profile(); }
        @Override public String roleGoal() { return role.goal(); }
        @Override public String roleConstraints() { return role.constraints(); }

        @Override
        public Optional<Message> latest(String action) {
            // A document the role has not observed is still a public artefact of the run.
            return RoleAgent.this.latest(action).or(() -> run.history().reversed().stream()
                    .filter(m -> m.causeBy().equals(action)).findFirst());
        }
    }

    private Optional<Message> latest(String causeBy) {
        for (int i = memory.size() - 1; i >= 0; i--) {
            if (memory.get(i).causeBy().equals(causeBy)) {
                return Optional.of(memory.get(i));
            }
        }
        return Optional.empty();
    }
}
