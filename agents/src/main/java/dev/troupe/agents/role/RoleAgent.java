package dev.troupe.agents.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.action.ActionContext;
import dev.troupe.agents.action.ActionExecutor;
import dev.troupe.agents.action.ActionOutput;
import dev.troupe.agents.action.WorkspaceFiles;
import dev.troupe.agents.command.CommandRunner;
import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A role at work in one run: it remembers what it has observed and said, and on news takes its
 * actions according to its react mode. Steps of one agent never overlap (the scheduler ensures it).
 */
public final class RoleAgent {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Role role;
    private final ModelBackend model;
    private final RunContext run;
    private final List<Message> memory = new ArrayList<>();
    private final List<Message> held = new ArrayList<>();
    private final Map<String, Integer> commandFailures = new HashMap<>();
    private final StepCalls calls;

    public RoleAgent(Role role, ModelBackend model, RunContext run) {
        this.role = role;
        this.model = model;
        this.run = run;
        this.calls = new StepCalls(role.name(), run);
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
        switch (role.mode()) {
            case BY_ORDER -> {
                List<Message> triggers = news;
                List<Action> fire = role.actions().stream().filter(a -> triggeredBy(a, triggers)).toList();
                for (int i = 0; i < fire.size(); i++) {
                    act(fire.get(i), news, round, Optional.empty(), i == fire.size() - 1);
                }
            }
            case REACT -> react(news, round);
            case PLAN_AND_ACT -> planAndAct(news, round);
        }
    }

    private static boolean triggeredBy(Action a, List<Message> news) {
        if (a.on().isEmpty()) {
            return true;
        }
        for (Message m : news) {
            if (a.on().contains(m.causeBy())) {
                return true;
            }
        }
        return false;
    }

    private void react(List<Message> news, int round) {
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < role.maxReactLoop(); i++) {
            checkNotCancelled();
            JsonNode choice = think(news, taken);
            String next = choice.path("next").asText();
            if (next.equals("STOP")) {
                return;
            }
            Action a = role.action(next).orElseThrow();
            act(a, news, round, Optional.empty(), false);
            taken.add(next);
        }
    }

    private JsonNode think(List<Message> news, List<String> taken) {
        ArrayNode options = F.arrayNode();
        role.actions().forEach(a -> options.add(a.name()));
        options.add("STOP");
        ObjectNode schema = F.objectNode().put("type", "object");
        schema.putArray("required").add("next");
        ObjectNode props = schema.putObject("properties");
        props.putObject("next").put("type", "string").set("enum", options);
        props.putObject("reason").put("type", "string");
        String instruction = "Decide your next step.\n\n## Your actions\n{{_actions}}"
                + "\n\n## Messages so far\n{{history}}\n\n## Actions you already took for this news\n"
                + (taken.isEmpty() ? "none" : String.join(", ", taken))
                + "\n\nName the next action to take, or STOP when your goal is met.";
        Action thinkAction = Action.builder(Role.THINK).instruction(instruction).schema(schema).build();
        return calls.output(Role.THINK, () -> ActionExecutor.execute(thinkAction,
                        stepContext(news, Map.of("_actions", describeActions()), ActionContext.noExtraCheck())))
                .payload().orElseThrow();
    }

    private void planAndAct(List<Message> news, int round) {
        Map<String, String> done = new LinkedHashMap<>();
        String failure = null;
        for (int replans = 0; ; replans++) {
            checkNotCancelled();
            List<JsonNode> tasks = plan(news, done, failure);
            try {
                for (JsonNode task : tasks) {
                    checkNotCancelled();
                    String id = task.path("id").asText();
                    if (done.containsKey(id)) {
                        continue;
                    }
                    Action a = role.action(task.path("action").asText()).orElseThrow();
                    act(a, news, round, Optional.of(task.path("instruction").asText()), false);
                    done.put(id, a.name() + ": " + task.path("instruction").asText());
                }
                return;
            } catch (ActionFailedException e) {
                if (replans >= role.maxReplans()) {
                    throw new ActionFailedException(role.name(), e.action(), "the plan failed after " + (replans + 1)
                            + " plans: " + e.getMessage(), e);
                }
                failure = e.getMessage();
            }
        }
    }

    /** Asks for a task list and returns it in dependency order. */
    private List<JsonNode> plan(List<Message> news, Map<String, String> done, String failure) {
        ArrayNode options = F.arrayNode();
        role.actions().forEach(a -> options.add(a.name()));
        ObjectNode task = F.objectNode().put("type", "object");
        task.putArray("required").add("id").add("action").add("instruction");
        ObjectNode tp = task.putObject("properties");
        tp.putObject("id").put("type", "string");
        tp.putObject("action").put("type", "string").set("enum", options);
        tp.putObject("instruction").put("type", "string");
        ObjectNode deps = tp.putObject("dependsOn").put("type", "array").put("minItems", 0);
        deps.putObject("items").put("type", "string");
        ObjectNode schema = F.objectNode().put("type", "object");
        schema.putArray("required").add("tasks");
        schema.putObject("properties").putObject("tasks").put("type", "array").put("minItems", 1).set("items", task);

        StringBuilder instruction = new StringBuilder("Plan the work for the news below as a list of tasks. Each task uses one of"
                + " your actions, has an id, an instruction, and the ids of the tasks it depends on.\n\n## Your actions\n")
                .append("{{_actions}}").append("\n\n## Requirement\n{{requirement}}\n\n## News\n{{news}}");
        Map<String, String> literals = new HashMap<>(Map.of("_actions", describeActions()));
        if (!done.isEmpty()) {
            instruction.append("\n\n## Tasks already done (do not repeat them)\n{{_done}}");
            literals.put("_done", done.entrySet().stream().map(e -> "- " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
        }
        if (failure != null) {
            instruction.append("\n\n## The last plan failed\n{{_failure}}\nWrite a new plan for the remaining work.");
            literals.put("_failure", failure);
        }
        Action planAction = Action.builder(Role.PLAN).instruction(instruction.toString()).schema(schema).build();
        JsonNode plan = calls.output(Role.PLAN, () -> ActionExecutor.execute(planAction, stepContext(news, literals, RoleAgent::planErrors)))
                .payload().orElseThrow();
        return TaskOrder.sort(plan.get("tasks"));
    }

    private static ImmutableList<String> planErrors(JsonNode plan) {
        return TaskOrder.problems(plan.get("tasks"));
    }

    private String describeActions() {
        return role.actions().stream()
                .map(a -> "- " + a.name() + ": " + a.instruction().text().strip().lines().findFirst().orElse(""))
                .collect(Collectors.joining("\n"));
    }

    /** Takes {@code action}; {@code lastOfStep}: the step ends once its message is published. */
    private void act(Action action, List<Message> news, int round, Optional<String> task, boolean lastOfStep) {
        checkNotCancelled();
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
        ObjectNode payload = calls.command(action.name(), () -> CommandRunner.run(spec, workspace(action), role.name(), action.name()));
        boolean passed = payload.path("passed").asBoolean();
        int failures = passed ? commandFailures.getOrDefault(action.name(), 0)
                : commandFailures.merge(action.name(), 1, Integer::sum);
        String output = payload.path("output").asText();
        if (!passed && failures >= spec.maxFailures()) {
            throw new ActionFailedException(role.name(), action.name(), "'" + spec.command() + "' still fails after "
                    + failures + " runs (exit " + payload.path("exitCode").asInt() + "). Last output:\n" + output);
        }
        String content = "$ " + spec.command() + "\n" + output + "\n[" + (passed ? "passed" : payload.path("timedOut").asBoolean()
                ? "timed out" : "failed with exit code " + payload.path("exitCode").asInt()) + (passed ? "" : ", failure " + failures
                + " of at most " + spec.maxFailures()) + "]";
        return new ActionOutput(content, Optional.of(payload), Optional.empty(), false);
    }

    private java.nio.file.Path workspace(Action action) {
        return run.workspace().orElseThrow(() -> new ActionFailedException(role.name(), action.name(),
                "this action needs a workspace; set one with Team.builder().workspace(...) or --workspace"));
    }

    private ActionContext context(List<Message> news, Optional<String> task,
                                  Function<JsonNode, ImmutableList<String>> extraCheck, boolean appendInput) {
        return new ActionContext(run.runId(), role.name(), role.systemPrompt(), name -> variable(name, news, task),
                appendInput, model, run.gateway(), run.listener(), extraCheck, run.reflection());
    }

    /**
     * The context of a think or plan step. Text that may hold "{{…}}" (action instructions, the model's task
     * list, failure messages) goes in through {@code literals}, filled verbatim, never rendered as a template.
     */
    private ActionContext stepContext(List<Message> news, Map<String, String> literals,
                                      Function<JsonNode, ImmutableList<String>> extraCheck) {
        return new ActionContext(run.runId(), role.name(), role.systemPrompt(),
                name -> literals.containsKey(name) ? Optional.of(literals.get(name)) : variable(name, news, Optional.empty()),
                false, model, run.gateway(), run.listener(), extraCheck);
    }

    private Optional<String> variable(String name, List<Message> news, Optional<String> task) {
        switch (name) {
            case "requirement": return Optional.of(run.requirement());
            case "history": return Optional.of(format(memory));
            case "news": return Optional.of(format(news));
            case "task": return task;
            case "role.name": return Optional.of(role.name());
            case "role.profile": return Optional.of(role.profile());
            case "role.goal": return Optional.of(role.goal());
            case "role.constraints": return Optional.of(role.constraints());
            default: break;
        }
        int dot = name.indexOf('.');
        String action = dot < 0 ? name : name.substring(0, dot);
        // A document the role has not observed is still a public artefact of the run.
        Optional<Message> latest = latest(action).or(() -> run.history().reversed().stream()
                .filter(m -> m.causeBy().equals(action)).findFirst());
        if (latest.isEmpty() || dot < 0) {
            return latest.map(Message::content);
        }
        JsonNode node = latest.get().payload().orElse(F.missingNode());
        for (String part : name.substring(dot + 1).split("\\.")) {
            node = node.isArray() && part.matches("\\d+") ? node.path(Integer.parseInt(part)) : node.path(part);
        }
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(node.isValueNode() ? node.asText() : node.toPrettyString());
    }

    private Optional<Message> latest(String causeBy) {
        for (int i = memory.size() - 1; i >= 0; i--) {
            if (memory.get(i).causeBy().equals(causeBy)) {
                return Optional.of(memory.get(i));
            }
        }
        return Optional.empty();
    }

    private static String format(List<Message> messages) {
        return messages.stream()
                .map(m -> "### " + m.causeBy() + " (from " + m.sender() + ")\n" + m.content().strip())
                .collect(Collectors.joining("\n\n"));
    }

    private static void checkNotCancelled() {
        if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException("run cancelled");
        }
    }

    /** Orders a plan's tasks by their dependencies and reports what makes a plan unusable. */
    static final class TaskOrder {
        private TaskOrder() {}

        static ImmutableList<String> problems(JsonNode tasks) {
            List<String> errors = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (JsonNode t : tasks) {
                if (!ids.add(t.path("id").asText())) {
                    errors.add("task id '" + t.path("id").asText() + "' is used twice");
                }
            }
            for (JsonNode t : tasks) {
                for (JsonNode d : t.path("dependsOn")) {
                    if (!ids.contains(d.asText())) {
                        errors.add("task '" + t.path("id").asText() + "' depends on unknown task '" + d.asText() + "'");
                    }
                }
            }
            if (errors.isEmpty() && sortOrNull(tasks) == null) {
                errors.add("the tasks' dependencies form a cycle");
            }
            return ImmutableList.copyOf(errors);
        }

        static List<JsonNode> sort(JsonNode tasks) {
            return sortOrNull(tasks);
        }

        private static List<JsonNode> sortOrNull(JsonNode tasks) {
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            tasks.forEach(t -> byId.put(t.path("id").asText(), t));
            Map<String, Integer> state = new HashMap<>();
            List<JsonNode> order = new ArrayList<>();
            for (String id : byId.keySet()) {
                if (!visit(id, byId, state, order)) {
                    return null;
                }
            }
            return order;
        }

        private static boolean visit(String id, Map<String, JsonNode> byId, Map<String, Integer> state, List<JsonNode> order) {
            Integer s = state.get(id);
            if (s != null) {
                return s == 2;
            }
            state.put(id, 1);
            for (JsonNode d : byId.get(id).path("dependsOn")) {
                if (byId.containsKey(d.asText()) && !visit(d.asText(), byId, state, order)) {
                    return false;
                }
            }
            state.put(id, 2);
            order.add(byId.get(id));
            return true;
        }
    }
}
