package dev.troupe.agents.action;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.json.OutputSchema;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * A step a role can take: an instruction template sent to the model, and an output that is free
 * text or a JSON document checked against a schema (re-asked with the errors up to
 * {@code maxRepairs} times). Its name is the {@code causeBy} of the messages it publishes.
 */
public final class Action {
    private final String name;
    private final PromptTemplate instruction;
    private final Optional<OutputSchema> schema;
    private final ImmutableList<String> sendTo;
    private final int maxRepairs;
    private final ImmutableList<ActionTool> tools;
    private final int maxToolCalls;

    private Action(Builder b) {
        checkArgument(b.name != null && b.name.matches("[A-Za-z][A-Za-z0-9_\\-]*"),
                "action name must start with a letter and hold only letters, digits, '_' or '-', but was '%s'", b.name);
        checkArgument(b.instruction != null && !b.instruction.isBlank(), "action '%s' needs an instruction", b.name);
        checkArgument(b.maxRepairs >= 0, "action '%s': maxRepairs must be >= 0 but was %s", b.name, b.maxRepairs);
        checkArgument(b.maxToolCalls >= 1, "action '%s': maxToolCalls must be >= 1 but was %s", b.name, b.maxToolCalls);
        this.name = b.name;
        this.instruction = new PromptTemplate(b.instruction);
        this.schema = Optional.ofNullable(b.schema).map(s -> OutputSchema.of(s, "action '" + b.name + "'"));
        this.sendTo = ImmutableList.copyOf(b.sendTo);
        this.maxRepairs = b.maxRepairs;
        this.tools = ImmutableList.copyOf(b.tools);
        this.maxToolCalls = b.maxToolCalls;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** An action with a free-text output. */
    public static Action text(String name, String instruction) {
        return builder(name).instruction(instruction).build();
    }

    /** An action whose output is a JSON document valid against {@code schema}. */
    public static Action structured(String name, String instruction, JsonNode schema) {
        return builder(name).instruction(instruction).schema(schema).build();
    }

    public String name() { return name; }
    public PromptTemplate instruction() { return instruction; }
    public Optional<OutputSchema> schema() { return schema; }
    /** Roles the output is addressed to; empty means everyone who watches this action. */
    public ImmutableList<String> sendTo() { return sendTo; }
    public int maxRepairs() { return maxRepairs; }
    public ImmutableList<ActionTool> tools() { return tools; }
    public int maxToolCalls() { return maxToolCalls; }

    public Builder newBuilder() {
        Builder b = new Builder(name);
        b.instruction = instruction.text();
        b.schema = schema.map(OutputSchema::node).orElse(null);
        b.sendTo = sendTo;
        b.maxRepairs = maxRepairs;
        b.tools = tools;
        b.maxToolCalls = maxToolCalls;
        return b;
    }

    @Override
    public String toString() {
        return "Action[" + name + "]";
    }

    /** Builds an {@link Action}; only the name and instruction are required. */
    public static final class Builder {
        private String name;
        private String instruction;
        private JsonNode schema;
        private Collection<String> sendTo = ImmutableList.of();
        private int maxRepairs = 2;
        private Collection<ActionTool> tools = ImmutableList.of();
        private int maxToolCalls = 8;

        private Builder(String name) {
            this.name = name;
        }

        public Builder name(String name) { this.name = name; return this; }
        public Builder instruction(String instruction) { this.instruction = instruction; return this; }
        public Builder schema(JsonNode schema) { this.schema = schema; return this; }
        public Builder sendTo(Collection<String> roles) { this.sendTo = Objects.requireNonNull(roles); return this; }
        public Builder sendTo(String... roles) { return sendTo(ImmutableList.copyOf(roles)); }
        public Builder maxRepairs(int n) { this.maxRepairs = n; return this; }
        public Builder tools(Collection<? extends ActionTool> tools) { this.tools = ImmutableList.copyOf(tools); return this; }
        public Builder maxToolCalls(int n) { this.maxToolCalls = n; return this; }

        public Action build() {
            return new Action(this);
        }
    }
}
