package dev.troupe.agents.planner.internal;

import dev.troupe.agents.planner.SearchSettings;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Step;
import dev.troupe.memory.reflection.TrialPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * DFSDT as ToolLLM defines it: each node of a tree is a path of tool calls; a node is expanded by
 * one model call; {@code Finish(give_answer)} ends the search, {@code give_up_and_restart} and dead
 * ends (depth, exhausted children) backtrack; a node expanded again is shown its earlier
 * children's actions and asked for a different one (a {@code backtrack} node event says so). Under
 * a {@link TrialPlan} (structured reflection) the search first replays the plan's steps and takes
 * its forced action, then searches on from there.
 */
public final class DfsdtSearch implements Planner {
    private final PlannerContext ctx;
    private final ToolBox tools;
    private final SearchSettings settings;
    private int calls;
    private int nextId;
    private boolean budgetSpent;
    private List<Step> longest = List.of();
    private List<ChatMessage> start = List.of();

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

    public DfsdtSearch(PlannerContext ctx, SearchSettings settings) {
        this.ctx = ctx;
        this.tools = ctx.tools();
        this.settings = settings;
    }

    /**
     * Searches from {@code task} until an answer. Under {@code plan} (one trial of structured
     * reflection) its replayed steps run again (a read-only tool's from its cached observation), its
     * forced action is taken, and the search goes on from there with the full budget; it never
     * backtracks into that prefix.
     */
    @Override
    public Attempt attempt(List<ChatMessage> task, Optional<TrialPlan> plan) {
        return explore(task, plan);
    }

    private Attempt explore(List<ChatMessage> start, Optional<TrialPlan> plan) {
        this.start = List.copyOf(start);
        calls = 0;
        budgetSpent = false;
        longest = List.of();
        Node root = new Node(null, List.copyOf(start), List.of());
        node(root, "root", "");
        Node from = plan.map(p -> replay(root, p)).orElse(root);
        Optional<Attempt.Answered> found = expand(from);
        if (found.isPresent()) {
            return found.get();
        }
        String detail = "DFSDT found no answer: every path gave up or ran into a dead end after " + calls + " model calls (width "
                + settings.width() + ", depth " + settings.maxDepth() + ", budget " + settings.maxCalls()
                + " calls). Widen the search or give the role better tools.";
        return new Attempt.Exhausted(longest, budgetSpent ? FailureReason.STEP_CAP : FailureReason.ERROR, detail);
    }

    /** Runs the plan's replayed steps and its forced action as a chain of nodes; returns the last. */
    private Node replay(Node root, TrialPlan plan) {
        Node at = root;
        for (Step old : plan.replay()) {
            boolean cached = tools.tool(old.action().name()).map(ActionTool::readOnly).orElse(false);
            at = step(at, old.action(), cached ? Optional.of(old) : Optional.empty(), false,
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

    private Node step(Node parent, ActionCall call, Optional<Step> cached, boolean forced, String how) {
        ToolExecutionRequest request = ToolExecutionRequest.builder().id("trial-step-" + (parent.steps.size() + 1)).name(call.name())
                .arguments(call.argumentsJson()).build();
        List<ChatMessage> path = new ArrayList<>(parent.path);
        path.add(AiMessage.from(List.of(request)));
        Step taken = Steps.take(tools, request, call, cached, parent.steps, !forced);
        path.add(ToolExecutionResultMessage.from(request, taken.observation()));
        Node child = new Node(parent, List.copyOf(path), withStep(parent.steps, taken));
        String described = describe(List.of(request));
        parent.childActions.add(described);
        node(child, forced ? "forced" : "replayed", described + " (" + how + ")");
        return child;
    }

    private Optional<Attempt.Answered> expand(Node node) {
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
            ModelRequest request = new ModelRequest(ctx.runId(), ctx.role(), ctx.action(), ctx.nextCall(),
                    ChatRequest.builder().messages(prompt).toolSpecifications(tools.specifications()).build(), ctx.outputSchema());
            ModelResponse response = ctx.gateway().call(ctx.model(), request);
            AiMessage ai = response.chatResponse().aiMessage();

            if (!ai.hasToolExecutionRequests()) {
                node.childActions.add("answer");
                Node child = new Node(node, append(node.path, ai), node.steps);
                node(child, "answer", response.text());
                return Optional.of(answered(response.text(), node.steps));
            }
            Optional<Finish.Outcome> finish = ai.toolExecutionRequests().stream().map(Finish::parse)
                    .flatMap(Optional::stream).findFirst();
            String described = describe(ai.toolExecutionRequests());
            node.childActions.add(described);
            Node child = new Node(node, append(node.path, ai), node.steps);
            if (finish.isPresent() && !finish.get().gaveUp()) {
                node(child, "answer", finish.get().answer());
                return Optional.of(answered(finish.get().answer(), node.steps));
            }
            if (finish.isPresent()) {
                node(child, "give_up", finish.get().answer());
                continue;                                   // backtrack: try a different child of this node
            }
            List<ChatMessage> path = new ArrayList<>(child.path);
            List<Step> steps = node.steps;
            for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                Step taken = Steps.take(tools, call, Steps.call(call), Optional.empty(), steps, false);
                path.add(ToolExecutionResultMessage.from(call, taken.observation()));
                steps = withStep(steps, taken);
            }
            child.path = List.copyOf(path);
            child.steps = steps;
            node(child, "tool_call", described);
            Optional<Attempt.Answered> deeper = expand(child);
            if (deeper.isPresent()) {
                return deeper;
            }
        }
        node(node, "dead_end", "all " + settings.width() + " children failed");
        return Optional.empty();
    }

    /** The search's answer; a repair of it continues from the task, not from the path that found it. */
    private Attempt.Answered answered(String answer, List<Step> path) {
        return new Attempt.Answered(answer, path, append(start, AiMessage.from(answer)));
    }

    /** {@code steps} and one more, remembered as the longest path when it is. */
    private List<Step> withStep(List<Step> steps, Step step) {
        List<Step> more = new ArrayList<>(steps);
        more.add(step);
        List<Step> path = List.copyOf(more);
        if (path.size() > longest.size()) {
            longest = path;
        }
        return path;
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
        ctx.listener().on(new RunEvent.SearchNode(ctx.runId(), Instant.now(), ctx.role(), ctx.action(), n.id, n.parent == null ? -1 : n.parent.id,
                n.depth, kind, detail == null ? "" : detail));
    }
}
