package dev.troupe.agents.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.agents.action.ActionTool;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelGateway;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.StepStatus;
import dev.troupe.memory.reflection.TrialPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * DFSDT as ToolLLM defines it: each node of a tree is a path of tool calls; a node is expanded by
 * one model call; {@code Finish(give_answer)} ends the search, {@code give_up_and_restart} and dead
 * ends (depth, exhausted children) backtrack; a node expanded again is shown its earlier
 * children's actions and asked for a different one (a {@code backtrack} node event says so). Under
 * a {@link TrialPlan} (structured reflection) the search first replays the plan's steps and takes
 * its forced action, then searches on from there.
 */
public final class DfsdtSearch {
    /** The answer and the call that gave it; {@code modelCalls} counts this action's model calls so far. */
    public record Result(String answer, ModelResponse lastResponse, int modelCalls) {}

    /** How one search ended. */
    public sealed interface Outcome {
        /** {@code give_answer} (or a plain answer) on {@code path}, the tool calls that led to it. */
        record Answered(Result result, List<Step> path) implements Outcome {}

        /** No path gave an answer; {@code longestPath} is the deepest one explored, for reflection. */
        record Exhausted(List<Step> longestPath, FailureReason reason, String detail) implements Outcome {}
    }

    private final ModelGateway gateway;
    private final ModelBackend model;
    private final ToolBox tools;
    private final SearchSettings settings;
    private final RunListener listener;
    private final String runId;
    private final String role;
    private final String action;
    private final Optional<JsonNode> outputSchema;
    private final AtomicInteger requests = new AtomicInteger();
    private int calls;
    private int nextId;
    private boolean budgetSpent;
    private List<Step> longest = List.of();

    private final class Node {
        final int id;
        final Node parent;
        final int depth;
        List<ChatMessage> path;   // grows by the observations once the node's tool calls ran
        List<Step> steps;         // the tool calls along the path, with their observations
        final List<String> childActions = new ArrayList<>();
        final List<String> forbidden = new ArrayList<>();

        Node(Node parent, List<ChatMessage> path, List<Step> steps) {
            this.id = nextId++;
            this.parent = parent;
            this.depth = parent == null ? 0 : parent.depth + 1;
            this.path = path;
            this.steps = steps;
        }
    }

    public DfsdtSearch(ModelGateway gateway, ModelBackend model, ToolBox tools, SearchSettings settings, RunListener listener,
                       String runId, String role, String action, Optional<JsonNode> outputSchema) {
        this.gateway = gateway;
        this.model = model;
        this.tools = tools;
        this.settings = settings;
        this.listener = listener;
        this.runId = runId;
        this.role = role;
        this.action = action;
        this.outputSchema = outputSchema;
    }

    /**
     * Numbers this search's model calls; a caller that makes other calls for the same action (e.g.
     * reflections between searches) draws from it too, so no two calls share an index.
     */
    public AtomicInteger requestCounter() {
        return requests;
    }

    /** Searches from {@code start} (system and task messages) until an answer, or fails when the tree or budget is spent. */
    public Result search(List<ChatMessage> start) {
        return switch (explore(start, Optional.empty())) {
            case Outcome.Answered a -> a.result();
            case Outcome.Exhausted e -> throw new ActionFailedException(role, action, e.detail());
        };
    }

    /**
     * One trial of the search under {@code plan}: its replayed steps run again (a read-only tool's
     * from its cached observation), its forced action is taken, and the search goes on from there
     * with the full budget; it never backtracks into that prefix.
     */
    public Outcome search(List<ChatMessage> start, TrialPlan plan) {
        return explore(start, Optional.of(plan));
    }

    private Outcome explore(List<ChatMessage> start, Optional<TrialPlan> plan) {
        calls = 0;
        budgetSpent = false;
        longest = List.of();
        Node root = new Node(null, List.copyOf(start), List.of());
        node(root, "root", "");
        Node from = plan.map(p -> replay(root, p)).orElse(root);
        Optional<Outcome.Answered> found = expand(from);
        if (found.isPresent()) {
            return found.get();
        }
        String detail = "DFSDT found no answer: every path gave up or ran into a dead end after " + calls + " model calls (width "
                + settings.width() + ", depth " + settings.maxDepth() + ", budget " + settings.maxCalls()
                + " calls). Widen the search or give the role better tools.";
        return new Outcome.Exhausted(longest, budgetSpent ? FailureReason.STEP_CAP : FailureReason.ERROR, detail);
    }

    /** Runs the plan's replayed steps and its forced action as a chain of nodes; returns the last. */
    private Node replay(Node root, TrialPlan plan) {
        Node at = root;
        for (Step old : plan.replay()) {
            ActionTool tool = tools.tool(old.action().name()).orElse(null);
            boolean cached = tool != null && tool.readOnly();
            at = step(at, old.action(), cached ? Optional.of(old.observation()) : Optional.empty(), false,
                    cached ? "replayed (read-only, cached observation)" : "replayed");
        }
        int k = at.steps.size();
        Optional<ActionCall> forced = plan.forcedActionAt(k);
        if (forced.isPresent()) {
            at = step(at, forced.get(), Optional.empty(), true, "forced by reflection");
        } else {
            // An advisory lesson: the search may choose at k, but not what already failed there.
            List<String> forbidden = at.forbidden;
            plan.disabledActionsAt(k).forEach(a -> forbidden.add(a.name() + "(" + a.argumentsJson() + ")"));
        }
        return at;
    }

    private Node step(Node parent, ActionCall call, Optional<String> cachedObservation, boolean forced, String how) {
        ToolExecutionRequest request = ToolExecutionRequest.builder().id("trial-step-" + (parent.steps.size() + 1)).name(call.name())
                .arguments(call.argumentsJson()).build();
        List<ChatMessage> path = new ArrayList<>(parent.path);
        path.add(AiMessage.from(List.of(request)));
        String observation = cachedObservation.orElseGet(() -> tools.run(request));
        path.add(ToolExecutionResultMessage.from(request, observation));
        Node child = new Node(parent, List.copyOf(path), withStep(parent.steps, call, observation, !forced));
        String described = describe(List.of(request));
        parent.childActions.add(described);
        node(child, forced ? "forced" : "replayed", described + " (" + how + ")");
        return child;
    }

    private Optional<Outcome.Answered> expand(Node node) {
        if (node.depth >= settings.maxDepth()) {
            node(node, "dead_end", "depth limit " + settings.maxDepth() + " reached");
            return Optional.empty();
        }
        while (node.childActions.size() < settings.width()) {
            if (calls >= settings.maxCalls()) {
                budgetSpent = true;
                node(node, "dead_end", "model-call budget of " + settings.maxCalls() + " spent");
                return Optional.empty();
            }
            List<ChatMessage> prompt = new ArrayList<>(node.path);
            if (!node.childActions.isEmpty()) {
                prompt.add(UserMessage.from(diversityPrompt(node.childActions)));
                node(node, "backtrack", "expanded again, asked for an action other than: " + String.join("; ", node.childActions));
            }
            if (!node.forbidden.isEmpty()) {
                prompt.add(UserMessage.from("These actions failed at this step in an earlier trial; choose none of them:\n- "
                        + String.join("\n- ", node.forbidden)));
            }
            calls++;
            ModelRequest request = new ModelRequest(runId, role, action, requests.getAndIncrement(),
                    ChatRequest.builder().messages(prompt).toolSpecifications(tools.specifications()).build(), outputSchema);
            ModelResponse response = gateway.call(model, request);
            AiMessage ai = response.chatResponse().aiMessage();

            if (!ai.hasToolExecutionRequests()) {
                node.childActions.add("answer");
                Node child = new Node(node, append(node.path, ai), node.steps);
                node(child, "answer", response.text());
                return Optional.of(new Outcome.Answered(new Result(response.text(), response, requests.get()), node.steps));
            }
            Optional<Finish.Outcome> finish = ai.toolExecutionRequests().stream().map(Finish::parse)
                    .flatMap(Optional::stream).findFirst();
            String described = describe(ai.toolExecutionRequests());
            node.childActions.add(described);
            Node child = new Node(node, append(node.path, ai), node.steps);
            if (finish.isPresent() && !finish.get().gaveUp()) {
                node(child, "answer", finish.get().answer());
                return Optional.of(new Outcome.Answered(new Result(finish.get().answer(), response, requests.get()), node.steps));
            }
            if (finish.isPresent()) {
                node(child, "give_up", finish.get().answer());
                continue;                                   // backtrack: try a different child of this node
            }
            List<ChatMessage> path = new ArrayList<>(child.path);
            List<Step> steps = node.steps;
            for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                String observation = tools.run(call);
                path.add(ToolExecutionResultMessage.from(call, observation));
                steps = withStep(steps, actionCall(call), observation, false);
            }
            child.path = List.copyOf(path);
            child.steps = steps;
            node(child, "tool_call", described);
            Optional<Outcome.Answered> deeper = expand(child);
            if (deeper.isPresent()) {
                return deeper;
            }
        }
        node(node, "dead_end", "all " + settings.width() + " children failed");
        return Optional.empty();
    }

    /** {@code steps} and one more, remembered as the longest path when it is. */
    private List<Step> withStep(List<Step> steps, ActionCall call, String observation, boolean replayed) {
        List<Step> more = new ArrayList<>(steps);
        StepStatus status = ToolBox.failed(observation) ? StepStatus.FAILED : StepStatus.OK;
        String state = steps.isEmpty() ? "start" : "after " + steps.getLast().action();
        more.add(new Step(steps.size(), state, call, observation, status, replayed));
        List<Step> path = List.copyOf(more);
        if (path.size() > longest.size()) {
            longest = path;
        }
        return path;
    }

    /** The model's call as the memory keeps it; arguments that are not a JSON object are kept as text. */
    private static ActionCall actionCall(ToolExecutionRequest call) {
        String args = call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
        try {
            return ActionCall.of(call.name(), args);
        } catch (IllegalArgumentException notAnObject) {
            return new ActionCall(call.name(), JsonNodeFactory.instance.objectNode().put("unparsed", args));
        }
    }

    private static List<ChatMessage> append(List<ChatMessage> path, ChatMessage m) {
        List<ChatMessage> p = new ArrayList<>(path);
        p.add(m);
        return List.copyOf(p);
    }

    private static String describe(List<ToolExecutionRequest> calls) {
        return calls.stream().map(c -> c.name() + "(" + (c.arguments() == null ? "" : c.arguments()) + ")")
                .collect(Collectors.joining(", "));
    }

    private static String diversityPrompt(List<String> previous) {
        return "This is not your first attempt at this step: every earlier attempt from here failed. Your earlier actions at"
                + " this point were:\n- " + String.join("\n- ", previous)
                + "\nNow choose an action that is different from all of them (another tool, or other arguments).";
    }

    private void node(Node n, String kind, String detail) {
        listener.on(new RunEvent.SearchNode(runId, Instant.now(), role, action, n.id, n.parent == null ? -1 : n.parent.id,
                n.depth, kind, detail == null ? "" : detail));
    }
}
