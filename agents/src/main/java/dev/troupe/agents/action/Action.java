package dev.troupe.agents.action;

import dev.troupe.agents.action.internal.PromptTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.planner.PlannerKind;
import dev.troupe.agents.planner.SearchSettings;
import dev.troupe.agents.reflection.ReflectionSettings;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolProvider;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import static com.google.common.base.Preconditions.checkArgument;

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
    private final Optional<CommandSpec> command;
    private final boolean writesFiles;
    private final ImmutableSet<String> on;
    private final PlannerKind planner;
    private final SearchSettings search;
    private final Optional<ReflectionSettings> reflection;
    private final Optional<ToolProvider> toolProvider;

    private Action(Builder b) {
        // "_think" and "_plan" are the reserved internal steps of REACT and PLAN_AND_ACT roles (Role.THINK,
        // Role.PLAN); Role rejects them as user actions, but RoleAgent must be able to build them.
        checkArgument(b.name != null && (b.name.matches("[A-Za-z][A-Za-z0-9_\\-]*") || b.name.equals("_think") || b.name.equals("_plan")),
                "action name must start with a letter and hold only letters, digits, '_' or '-', but was '%s'", b.name);
        checkArgument(b.command != null || (b.instruction != null && !b.instruction.isBlank()),
                "action '%s' needs an instruction (or a command)", b.name);
        checkArgument(b.command == null || (b.schema == null && !b.writesFiles && b.tools.isEmpty() && b.toolProvider == null),
                "action '%s' runs a command, so it cannot also have a schema, tools or write files", b.name);
        checkArgument(b.maxRepairs >= 0, "action '%s': maxRepairs must be >= 0 but was %s", b.name, b.maxRepairs);
        checkArgument(b.maxToolCalls >= 1, "action '%s': maxToolCalls must be >= 1 but was %s", b.name, b.maxToolCalls);
        this.name = b.name;
        this.instruction = new PromptTemplate(b.instruction == null ? "Run: " + b.command.command() : b.instruction);
        this.schema = Optional.ofNullable(b.schema).map(s -> OutputSchema.of(s, "action '" + b.name + "'"));
        this.sendTo = ImmutableList.copyOf(b.sendTo);
        this.maxRepairs = b.maxRepairs;
        this.tools = ImmutableList.copyOf(b.tools);
        this.maxToolCalls = b.maxToolCalls;
        this.command = Optional.ofNullable(b.command);
        this.writesFiles = b.writesFiles;
        this.on = ImmutableSet.copyOf(b.on);
        this.planner = Objects.requireNonNull(b.planner, "planner");
        this.search = Objects.requireNonNull(b.search, "search");
        this.reflection = Optional.ofNullable(b.reflection);
        this.toolProvider = Optional.ofNullable(b.toolProvider);
        checkArgument(reflection.isEmpty() || !b.tools.isEmpty() || b.toolProvider != null || b.writesFiles,
                "action '%s' has reflection but no tools and writes no files: reflection retries a plan of tool calls"
                        + " (or of file writes)", b.name);
        checkArgument(!writesFiles || schema.isPresent(), "action '%s' writes files, so it needs a schema with a 'files' array", b.name);
        checkArgument(!(b.writesFiles && b.reflection != null && b.planner == PlannerKind.DFSDT),
                "action '%s' writes files under reflection, which plans one write_file step per file in stages;"
                        + " use planner: react or staged, or drop reflection", b.name);
    }

    /** Starts an action named {@code name}; give it an instruction, then {@link Builder#build()}. */
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

    /** The action's name, which its messages carry as {@code causeBy} and roles watch. */
    public String name() { return name; }
    /** The instruction template rendered into the action's prompt. */
    public PromptTemplate instruction() { return instruction; }
    /** The JSON schema the answer must validate against; empty for a text answer. */
    public Optional<OutputSchema> schema() { return schema; }
    /** Roles the output is addressed to; empty means everyone who watches this action. */
    public ImmutableList<String> sendTo() { return sendTo; }
    /** How often an answer that fails its schema is sent back to the model for repair. */
    public int maxRepairs() { return maxRepairs; }
    /** The tools the model may call while taking the action. */
    public ImmutableList<ActionTool> tools() { return tools; }
    /** The most tool calls one take of the action may make. */
    public int maxToolCalls() { return maxToolCalls; }
    /** The command this action runs in the workspace instead of calling a model. */
    public Optional<CommandSpec> command() { return command; }
    /** Whether the payload's {@code files: [{path, content}]} are written into the workspace. */
    public boolean writesFiles() { return writesFiles; }
    /**
     * The causeBy values that trigger this action in a by-order role; empty means any news does.
     * Lets one role answer different news with different actions (write code on tasks, fix it on test failures).
     */
    public ImmutableSet<String> on() { return on; }
    /** How the action searches over its tools (ReAct by default). */
    public PlannerKind planner() { return planner; }
    /** The bounds of a DFSDT search. */
    public SearchSettings search() { return search; }
    /** Chooses more tools per call (e.g. by retrieval from a catalog), beside {@link #tools()}. */
    public Optional<ToolProvider> toolProvider() { return toolProvider; }
    /** Whether the action may call tools. */
    public boolean hasTools() { return !tools.isEmpty() || toolProvider.isPresent(); }
    /**
     * Structured reflection over the action's tool use (staged planning or DFSDT, trials, lessons), if
     * enabled; an action that writes files then writes them one {@code write_file} step at a time.
     */
    public Optional<ReflectionSettings> reflection() { return reflection; }
    /** Whether the action needs a workspace to run. */
    public boolean needsWorkspace() { return writesFiles || command.isPresent(); }

    /** A builder holding this action's settings, to derive a changed copy. */
    public Builder newBuilder() {
        Builder b = new Builder(name);
        b.instruction = instruction.text();
        b.schema = schema.map(OutputSchema::node).orElse(null);
        b.sendTo = sendTo;
        b.maxRepairs = maxRepairs;
        b.tools = tools;
        b.maxToolCalls = maxToolCalls;
        b.command = command.orElse(null);
        b.writesFiles = writesFiles;
        b.on = on;
        b.planner = planner;
        b.search = search;
        b.reflection = reflection.orElse(null);
        b.toolProvider = toolProvider.orElse(null);
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
        private CommandSpec command;
        private boolean writesFiles;
        private Collection<String> on = ImmutableSet.of();
        private PlannerKind planner = PlannerKind.REACT;
        private SearchSettings search = SearchSettings.defaults();
        private ReflectionSettings reflection;
        private ToolProvider toolProvider;

        private Builder(String name) {
            this.name = name;
        }

        /** Renames the action; roles watch it and messages carry it by this name. */
        public Builder name(String name) { this.name = name; return this; }
        /** The prompt template, with {@code {{variables}}} such as {@code {{requirement}}} or another action's name. */
        public Builder instruction(String instruction) { this.instruction = instruction; return this; }
        /** A JSON schema the answer must validate against; the answer is then JSON. */
        public Builder schema(JsonNode schema) { this.schema = schema; return this; }
        /** Addresses the action's message to these roles only; by default it goes to every role that watches it. */
        public Builder sendTo(Collection<String> roles) { this.sendTo = Objects.requireNonNull(roles); return this; }
        /** Addresses the action's message to these roles only; by default it goes to every role that watches it. */
        public Builder sendTo(String... roles) { return sendTo(ImmutableList.copyOf(roles)); }
        /** How often an answer that fails its schema is sent back for repair before the action fails. */
        public Builder maxRepairs(int n) { this.maxRepairs = n; return this; }
        /** The tools the model may call while taking the action. */
        public Builder tools(Collection<? extends ActionTool> tools) { this.tools = ImmutableList.copyOf(tools); return this; }
        /** The most tool calls one take of the action may make before it must answer. */
        public Builder maxToolCalls(int n) { this.maxToolCalls = n; return this; }
        /** Runs {@code spec} in the workspace instead of calling a model. */
        public Builder command(CommandSpec spec) { this.command = spec; return this; }
        /** Writes the payload's {@code files: [{path, content}]} into the workspace. */
        public Builder writesFiles(boolean write) { this.writesFiles = write; return this; }
        /** Runs this action only on news caused by one of {@code causeBy} (by-order roles). */
        public Builder on(Collection<String> causeBy) { this.on = ImmutableSet.copyOf(causeBy); return this; }
        /** Runs this action only on news caused by one of {@code causeBy} (by-order roles). */
        public Builder on(String... causeBy) { return on(ImmutableSet.copyOf(causeBy)); }
        /** ReAct or DFSDT over the action's tools. */
        public Builder planner(PlannerKind p) { this.planner = p; return this; }
        /** The limits of a DFSDT search over the action's tools. */
        public Builder search(SearchSettings s) { this.search = s; return this; }
        /** Retries the action's tool use under structured reflection; lessons persist across runs. */
        public Builder reflection(ReflectionSettings r) { this.reflection = r; return this; }
        /** Chooses tools per call, e.g. the top k of a catalog for the rendered prompt. */
        public Builder toolProvider(ToolProvider p) { this.toolProvider = p; return this; }

        /** The action; fails with a message naming the bad setting when one is invalid. */
        public Action build() {
            return new Action(this);
        }
    }
}
