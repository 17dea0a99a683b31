package dev.troupe.agents.role.internal;

import dev.troupe.agents.role.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.json.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The think and plan steps of react and plan_and_act roles, read once from {@code steps.yaml}: their
 * instructions and schemas, made into actions for one role (whose action names the schemas list).
 */
final class InternalSteps {
    /** Variables the modes fill verbatim; steps.yaml says what each holds. */
    static final String ACTIONS = "_actions";
    static final String TAKEN = "_taken";
    static final String DONE = "_done";
    static final String FAILURE = "_failure";
    static final String STOP = "STOP";

    private static final JsonNode STEPS = load();

    private InternalSteps() {}

    /** The think step of {@code role}: the model names its next action, or STOP. */
    static Action think(Role role) {
        JsonNode think = STEPS.get("think");
        List<String> choices = new ArrayList<>(names(role));
        choices.add(STOP);
        return Action.builder(Role.THINK).instruction(think.get("instruction").asText()).schema(schema(think, choices)).build();
    }

    /**
     * The plan step of {@code role}; {@code afterDone} adds the tasks already done, {@code afterFailure}
     * why the last plan failed.
     */
    static Action plan(Role role, boolean afterDone, boolean afterFailure) {
        JsonNode plan = STEPS.get("plan");
        StringBuilder instruction = new StringBuilder(plan.get("instruction").asText());
        if (afterDone) {
            instruction.append("\n\n").append(plan.get("done").asText());
        }
        if (afterFailure) {
            instruction.append("\n\n").append(plan.get("failed").asText());
        }
        return Action.builder(Role.PLAN).instruction(instruction.toString()).schema(schema(plan, names(role))).build();
    }

    /** The value of {@code {{_actions}}}: each action with the first line of its instruction. */
    static String describeActions(Role role) {
        return role.actions().stream()
                .map(a -> "- " + a.name() + ": " + a.instruction().text().strip().lines().findFirst().orElse(""))
                .collect(Collectors.joining("\n"));
    }

    private static List<String> names(Role role) {
        return role.actions().stream().map(Action::name).toList();
    }

    private static ObjectNode schema(JsonNode step, List<String> choices) {
        ObjectNode schema = step.get("schema").deepCopy();
        ArrayNode options = (ArrayNode) schema.at(step.get("choices").asText());
        choices.forEach(options::add);
        return schema;
    }

    private static JsonNode load() {
        try (InputStream in = InternalSteps.class.getResourceAsStream("steps.yaml")) {
            if (in == null) {
                throw new IllegalStateException("steps.yaml is missing from the classpath next to " + InternalSteps.class.getName());
            }
            return Json.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the role steps (steps.yaml)", e);
        }
    }
}
