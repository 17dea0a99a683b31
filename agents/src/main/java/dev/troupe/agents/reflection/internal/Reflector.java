package dev.troupe.agents.reflection.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.planner.internal.PlannerContext;
import dev.troupe.agents.planner.internal.StagedPlanner;
import dev.troupe.agents.planner.internal.StructuredAsk;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.memory.reflection.ActionCall;
import dev.troupe.memory.reflection.Reflection;
import dev.troupe.memory.reflection.Step;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the model, after a failed trial, for the earliest critical step and the action that should
 * have been taken there. Accepts JSON, or the paper's "For action index=A, you should B" form.
 */
public final class Reflector {
    static final String REFLECT = "_reflect";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern PAPER_FORM = Pattern.compile(
            "(?is)for\\s+action\\s+index\\s*=\\s*(\\d+)\\s*,\\s*you\\s+should\\s+(.+)");
    private static final Pattern CALL = Pattern.compile("(?s)`?([A-Za-z_][A-Za-z0-9_\\-]*)\\s*\\((.*)\\)`?\\.?\\s*");

    private final PlannerContext ctx;
    private final List<ChatMessage> task;
    private final OutputSchema schema;
    private final String toolList;

    Reflector(PlannerContext ctx, List<ChatMessage> task, Collection<ActionTool> tools) {
        this.ctx = ctx;
        this.task = task;
        this.schema = OutputSchema.of(schema(tools.stream().map(ActionTool::name).toList()), "the reflection step");
        this.toolList = StagedPlanner.toolList(tools);
    }

    /** The reflection on {@code failed}, trial number {@code trial}; {@code problem} is a rejected earlier answer. */
    Reflection reflect(int trial, List<Step> failed, String why, List<Reflection> lessons, String problem) {
        List<ChatMessage> prompt = new ArrayList<>(task);
        StringBuilder sb = new StringBuilder(toolList).append("## Your last attempt failed\n").append(why).append("\n\n## Its steps\n")
                .append(failed.isEmpty() ? "none\n" : StagedPlanner.describe(failed));
        if (!lessons.isEmpty()) {
            sb.append("\n## Lessons you already have\n");
            lessons.forEach(l -> sb.append("- At step ").append(l.stepIndex() + 1).append(": ").append(l.lesson()).append('\n'));
        }
        if (!problem.isEmpty()) {
            sb.append("\n## Your previous reflection could not be used\n").append(problem).append('\n');
        }
        sb.append("\nFind the earliest critical step: the first step whose action made the attempt fail, by its number above (use ")
                .append(failed.size() + 1).append(" if the missing action comes after the last step). Say what should have been done"
                        + " there instead, as {\"step\": i, \"lesson\": \"…\", \"corrected_action\": {\"tool\": …, \"arguments\": {…}}}.");
        prompt.add(UserMessage.from(sb.toString()));
        JsonNode answer = StructuredAsk.ask(ctx, REFLECT, prompt, schema, Reflector::paperForm);
        ActionCall corrected = new ActionCall(answer.path("corrected_action").path("tool").asText(),
                answer.path("corrected_action").path("arguments").isObject()
                        ? answer.path("corrected_action").path("arguments") : F.objectNode());
        // The model names steps as it was shown them, from 1; the memory keeps them from 0.
        return Reflection.enforced(answer.path("step").asInt() - 1, answer.path("lesson").asText(), corrected, trial);
    }

    /**
     * Reads "For action index=2, you should get_weather({"city": "Paris"})" as a reflection; the index
     * is the step's number as the prompt showed it (from 1).
     */
    public static Optional<JsonNode> paperForm(String text) {
        Matcher m = PAPER_FORM.matcher(text.strip());
        if (!m.find()) {
            return Optional.empty();
        }
        String advice = m.group(2).strip();
        Matcher call = CALL.matcher(advice);
        if (!call.matches()) {
            return Optional.empty();
        }
        JsonNode args;
        try {
            String raw = call.group(2).strip();
            args = raw.isEmpty() ? F.objectNode() : Json.MAPPER.readTree(raw);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        ObjectNode out = F.objectNode();
        out.put("step", Integer.parseInt(m.group(1)));
        out.put("lesson", "For action index=" + m.group(1) + ", you should " + advice);
        ObjectNode action = out.putObject("corrected_action");
        action.put("tool", call.group(1));
        action.set("arguments", args);
        return Optional.of(out);
    }

    private static ObjectNode schema(Iterable<String> toolNames) {
        ArrayNode names = F.arrayNode();
        toolNames.forEach(names::add);
        ObjectNode schema = F.objectNode().put("type", "object");
        schema.putArray("required").add("step").add("lesson").add("corrected_action");
        ObjectNode p = schema.putObject("properties");
        p.putObject("step").put("type", "integer").put("minimum", 1);
        p.putObject("lesson").put("type", "string").put("minLength", 1);
        ObjectNode action = p.putObject("corrected_action").put("type", "object");
        action.putArray("required").add("tool");
        ObjectNode ap = action.putObject("properties");
        ap.putObject("tool").put("type", "string").set("enum", names);
        ap.putObject("arguments").put("type", "object");
        return schema;
    }
}
