package dev.troupe.agents.action.internal;

import dev.troupe.agents.action.Action;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.json.internal.Strings;
import dev.troupe.agents.message.Message;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The variables an action's instruction may use: their names, the value each is bound to when a role
 * renders the instruction, and what makes one unusable. Rendering, the team's build-time check and the
 * error a user sees all read them from here.
 *
 * <p>Besides the built-ins, {@code {{Action}}} is the content of the latest message of that action and
 * {@code {{Action.field.0}}} a value inside its JSON payload (a number indexes a list).
 */
public final class TemplateVariables {
    public static final String REQUIREMENT = "requirement";
    public static final String HISTORY = "history";
    public static final String NEWS = "news";
    /** A planned task's instruction; bound only in plan_and_act roles. */
    public static final String TASK = "task";
    /** The root of the role's own fields ({@code role.name}, {@code role.goal}…). */
    public static final String ROLE = "role";

    /** What a role's instruction is rendered against; read when a variable is looked up, not before. */
    public interface Scope {
        String requirement();

        /** Every message the role has observed or published so far, oldest first. */
        List<Message> history();

        /** The messages the role reacts to in this step. */
        List<Message> news();

        /** The instruction of the planned task being done, if any. */
        Optional<String> task();

        String roleName();

        String roleProfile();

        String roleGoal();

        String roleConstraints();

        /** The latest message of {@code action} the role may read. */
        Optional<Message> latest(String action);
    }

    /** The built-in variables in the order they are documented, and the value each is bound to. */
    private static final ImmutableMap<String, Function<Scope, Optional<String>>> BUILT_INS =
            ImmutableMap.<String, Function<Scope, Optional<String>>>builder()
                    .put(REQUIREMENT, s -> Optional.of(s.requirement()))
                    .put(HISTORY, s -> Optional.of(format(s.history())))
                    .put(NEWS, s -> Optional.of(format(s.news())))
                    .put(TASK, Scope::task)
                    .put(ROLE + ".name", s -> Optional.of(s.roleName()))
                    .put(ROLE + ".profile", s -> Optional.of(s.roleProfile()))
                    .put(ROLE + ".goal", s -> Optional.of(s.roleGoal()))
                    .put(ROLE + ".constraints", s -> Optional.of(s.roleConstraints()))
                    .build();
    /** The built-ins whose value is text, so they have no fields. */
    private static final ImmutableList<String> TEXT = ImmutableList.of(REQUIREMENT, HISTORY, NEWS, TASK);

    private TemplateVariables() {}

    /** The built-in variables, e.g. for an error message: "requirement, history, news, task, role.name, …". */
    public static String builtInNames() {
        return String.join(", ", BUILT_INS.keySet());
    }

    /** Binds every variable to its value in {@code scope}; empty for a variable without one. */
    public static Function<String, Optional<String>> lookup(Scope scope) {
        return name -> value(name, scope);
    }

    /**
     * As {@link #lookup(Scope)}, with {@code literals} bound first: text filled in verbatim, never rendered
     * as a template, so it may hold "{{…}}" (action instructions, a model's task list, failure messages).
     */
    public static Function<String, Optional<String>> lookup(Scope scope, Map<String, String> literals) {
        return name -> literals.containsKey(name) ? Optional.of(literals.get(name)) : value(name, scope);
    }

    /** The error text for a variable that has no value when its instruction is rendered. */
    public static String unbound(String variable) {
        return "the instruction uses {{" + variable + "}}, which has no value here. Use " + builtInNames()
                + ", or the name of an action whose message the role has seen.";
    }

    /**
     * What makes {@code variable} unusable in an instruction of a team whose actions are {@code actions},
     * as a clause that follows "uses " (it starts with the variable); empty when it may have a value.
     * {@code planned}: the role is a plan_and_act role, the only kind that binds {@code task}.
     */
    public static Optional<String> problem(String variable, boolean planned, Map<String, Action> actions) {
        List<String> path = List.of(variable.split("\\."));
        String root = path.getFirst();
        if (root.equals(ROLE)) {
            return BUILT_INS.containsKey(variable) ? Optional.empty() : Optional.of("{{" + variable + "}}; the role's variables are "
                    + BUILT_INS.keySet().stream().filter(n -> n.startsWith(ROLE + ".")).collect(Collectors.joining(", ")));
        }
        if (TEXT.contains(root)) {
            if (path.size() > 1) {
                return Optional.of("{{" + variable + "}}; " + String.join(", ", TEXT.subList(0, TEXT.size() - 1)) + " and "
                        + TEXT.getLast() + " are text and have no fields");
            }
            return root.equals(TASK) && !planned
                    ? Optional.of("{{task}}, which only has a value in plan_and_act roles") : Optional.empty();
        }
        Action producer = actions.get(root);
        if (producer == null) {
            List<String> known = new ArrayList<>(BUILT_INS.keySet());
            known.addAll(actions.keySet());
            String hint = Strings.nearest(root, known);
            return Optional.of("{{" + root + "}}, which is neither a built-in variable (" + builtInNames() + ") nor an action of the team"
                    + (hint == null ? "" : " (did you mean {{" + hint + "}}?)"));
        }
        // A text action has no payload to check against; its fields fail when the instruction is rendered.
        return producer.schema().flatMap(s -> fieldProblem(s.node(), root, path.subList(1, path.size())))
                .map(p -> "{{" + variable + "}}, but " + p);
    }

    private static Optional<String> value(String name, Scope scope) {
        Function<Scope, Optional<String>> builtIn = BUILT_INS.get(name);
        if (builtIn != null) {
            return builtIn.apply(scope);
        }
        int dot = name.indexOf('.');
        Optional<Message> latest = scope.latest(dot < 0 ? name : name.substring(0, dot));
        if (latest.isEmpty() || dot < 0) {
            return latest.map(Message::content);
        }
        JsonNode node = latest.get().payload().orElse(MissingNode.getInstance());
        for (String part : name.substring(dot + 1).split("\\.")) {
            node = node.isArray() && isIndex(part) ? node.path(Integer.parseInt(part)) : node.path(part);
        }
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(node.isValueNode() ? node.asText() : node.toPrettyString());
    }

    /**
     * Why {@code path} cannot reach a value of a document valid against {@code schema}, following the path
     * the way {@link #value} follows a payload; empty when it can, or when the schema does not say (a
     * {@code $ref}, open properties, no properties listed).
     */
    private static Optional<String> fieldProblem(JsonNode schema, String action, List<String> path) {
        JsonNode s = schema;
        String at = action;
        for (String part : path) {
            List<JsonNode> shapes = shapes(s);
            JsonNode next = null;
            Set<String> fields = new LinkedHashSet<>();
            boolean open = false;
            for (JsonNode shape : shapes) {
                if (shape.has("$ref") || shape.has("patternProperties") || isOpen(shape.get("additionalProperties"))) {
                    open = true;
                }
                shape.path("properties").fieldNames().forEachRemaining(fields::add);
                if (next == null && shape.path("properties").has(part)) {
                    next = shape.path("properties").get(part);
                }
                if (next == null && isIndex(part)) {
                    int i = Integer.parseInt(part);
                    JsonNode prefix = shape.path("prefixItems");
                    next = i < prefix.size() ? prefix.get(i) : shape.path("items").isObject() ? shape.get("items") : null;
                }
            }
            if (next == null) {
                Optional<String> type = shapes.stream().map(n -> n.path("type").asText("")).filter(t -> !t.isEmpty()).findFirst();
                if (type.isPresent() && type.get().equals("array")) {
                    return isIndex(part) ? Optional.empty()
                            : Optional.of("'" + at + "' is a list in its output schema; reach an item by its index, e.g. {{" + at + ".0}}");
                }
                if (type.isPresent() && !type.get().equals("object")) {
                    return Optional.of("'" + at + "' is a " + type.get() + " in its output schema and has no fields");
                }
                if (open || fields.isEmpty()) {
                    return Optional.empty();
                }
                String hint = Strings.nearest(part, fields);
                return Optional.of("the output schema of '" + at + "' has no field '" + part + "'"
                        + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; its fields are " + String.join(", ", fields));
            }
            s = next;
            at = at + "." + part;
        }
        return Optional.empty();
    }

    /** The schema and the branches of its allOf/anyOf/oneOf, any of which may describe the value. */
    private static List<JsonNode> shapes(JsonNode schema) {
        List<JsonNode> all = new ArrayList<>();
        all.add(schema);
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            schema.path(combinator).forEach(all::add);
        }
        return all;
    }

    private static boolean isOpen(JsonNode additionalProperties) {
        return additionalProperties != null && !(additionalProperties.isBoolean() && !additionalProperties.asBoolean());
    }

    private static boolean isIndex(String part) {
        // nine digits at most, so that it parses as an int
        return !part.isEmpty() && part.length() <= 9 && part.chars().allMatch(Character::isDigit);
    }

    private static String format(List<Message> messages) {
        return messages.stream()
                .map(m -> "### " + m.causeBy() + " (from " + m.sender() + ")\n" + m.content().strip())
                .collect(Collectors.joining("\n\n"));
    }
}
