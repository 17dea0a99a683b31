package dev.troupe.agents.planner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.event.RunEvent;
import dev.troupe.agents.event.RunListener;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelGateway;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * DFSDT as ToolLLM defines it: each node of a tree is a path of tool calls; a node is expanded by
 * one model call; {@code Finish(give_answer)} ends the search, {@code give_up_and_restart} and dead
 * ends (depth, exhausted children) backtrack; a node expanded again is shown its earlier
 * children's actions and asked for a different one (a {@code backtrack} node event says so).
 */
public final class DfsdtSearch {
    /** The answer and the call that gave it. */
    public record Result(String answer, ModelResponse lastResponse, int modelCalls) {}

    private final ModelGateway gateway;
    private final ModelBackend model;
    private final ToolBox tools;
    private final SearchSettings settings;
    private final RunListener listener;
    private final String runId;
    private final String role;
    private final String action;
    private final Optional<JsonNode> outputSchema;
    private int calls;
    private int nextId;

    private final class Node {
        final int id;
        final Node parent;
        final int depth;
        List<ChatMessage> path;   // grows by the observations once the node's tool calls ran
        final List<String> childActions = new ArrayList<>();

        Node(Node parent, List<ChatMessage> path) {
            this.id = nextId++;
            this.parent = parent;
            this.depth = parent == null ? 0 : parent.depth + 1;
            this.path = path;
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

    /** Searches from {@code start} (system and task messages) until an answer, or fails when the tree or budget is spent. */
    public Result search(List<ChatMessage> start) {
        Node root = new Node(null, List.copyOf(start));
        node(root, "root", "");
        Optional<Result> found = expand(root);
        return found.orElseThrow(() -> new ActionFailedException(role, action, "DFSDT found no answer: every path gave up or"
                + " ran into a dead end after " + calls + " model calls (width " + settings.width() + ", depth "
                + settings.maxDepth() + ", budget " + settings.maxCalls() + " calls). Widen the search or give the role better tools."));
    }

    private Optional<Result> expand(Node node) {
        if (node.depth >= settings.maxDepth()) {
            node(node, "dead_end", "depth limit " + settings.maxDepth() + " reached");
            return Optional.empty();
        }
        while (node.childActions.size() < settings.width()) {
            if (calls >= settings.maxCalls()) {
                node(node, "dead_end", "model-call budget of " + settings.maxCalls() + " spent");
                return Optional.empty();
            }
            List<ChatMessage> prompt = new ArrayList<>(node.path);
            if (!node.childActions.isEmpty()) {
                prompt.add(UserMessage.from(diversityPrompt(node.childActions)));
                node(node, "backtrack", "expanded again, asked for an action other than: " + String.join("; ", node.childActions));
            }
            ModelRequest request = new ModelRequest(runId, role, action, calls++,
                    ChatRequest.builder().messages(prompt).toolSpecifications(tools.specifications()).build(), outputSchema);
            ModelResponse response = gateway.call(model, request);
            AiMessage ai = response.chatResponse().aiMessage();

            if (!ai.hasToolExecutionRequests()) {
                node.childActions.add("answer");
                Node child = new Node(node, append(node.path, ai));
                node(child, "answer", response.text());
                return Optional.of(new Result(response.text(), response, calls));
            }
            Optional<Finish.Outcome> finish = ai.toolExecutionRequests().stream().map(Finish::parse)
                    .flatMap(Optional::stream).findFirst();
            String described = describe(ai.toolExecutionRequests());
            node.childActions.add(described);
            Node child = new Node(node, append(node.path, ai));
            if (finish.isPresent() && !finish.get().gaveUp()) {
                node(child, "answer", finish.get().answer());
                return Optional.of(new Result(finish.get().answer(), response, calls));
            }
            if (finish.isPresent()) {
                node(child, "give_up", finish.get().answer());
                continue;                                   // backtrack: try a different child of this node
            }
            List<ChatMessage> path = new ArrayList<>(child.path);
            for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                path.add(ToolExecutionResultMessage.from(call, tools.run(call)));
            }
            child.path = List.copyOf(path);
            node(child, "tool_call", described);
            Optional<Result> deeper = expand(child);
            if (deeper.isPresent()) {
                return deeper;
            }
        }
        node(node, "dead_end", "all " + settings.width() + " children failed");
        return Optional.empty();
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
