package dev.troupe.roles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.command.Sandbox;
import dev.troupe.agents.error.SopProblem;
import dev.troupe.agents.error.SopValidationException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.json.internal.Strings;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.offline.DryRunModel;
import dev.troupe.agents.planner.PlannerKind;
import dev.troupe.agents.planner.SearchSettings;
import dev.troupe.agents.reflection.ReflectionSettings;
import dev.troupe.agents.role.ReactMode;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.Team;
import dev.troupe.retrieval.SearchMode;
import dev.troupe.agents.tool.ToolProvider;
import dev.troupe.roles.tools.McpServerDefinition;
import dev.troupe.roles.tools.McpToolSource;
import dev.troupe.roles.tools.McpToolsDefinition;
import dev.troupe.roles.tools.ToolsDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads team definitions from YAML: a user's file, or a team of the built-in library
 * ({@code builtin:<name>}). Every mistake is a {@link TeamDefinitionException} with file:line:column.
 * The format is documented in README.md ("Teams in YAML").
 */
public final class TeamLoader {
    static final String BUILTIN = "builtin:";
    private static final String LIBRARY = "/dev/troupe/roles/builtin/";

    private static final Set<String> TEAM_KEYS = Set.of("name", "description", "extends", "model", "offlineModel", "idea",
            "budget", "limits", "sandbox", "roles");
    private static final Set<String> BUDGET_KEYS = Set.of("usd", "tokens");
    private static final Set<String> LIMIT_KEYS = Set.of("maxRounds", "timeout");
    private static final Set<String> ROLE_KEYS = Set.of("name", "profile", "goal", "constraints", "watch", "mode",
            "maxReactLoop", "maxReplans", "waitForAll", "model", "actions", "planner", "search", "reflection", "tools");
    private static final Set<String> TOOLS_KEYS = Set.of("specs", "catalog", "mcp", "names", "retrieve", "mode", "virtual", "fixtures",
            "allowHosts", "readOnly");
    /** The keys a role's {@code tools:} may have beside {@code mcp:}; the others belong to spec tools. */
    private static final Set<String> MCP_TOOLS_KEYS = Set.of("mcp", "names", "retrieve", "readOnly", "allowHosts");
    private static final Set<String> MCP_SERVER_KEYS = Set.of("name", "command", "url", "env", "headers");
    private static final Set<String> ACTION_KEYS = Set.of("use", "name", "instruction", "output", "sendTo", "on", "maxRepairs",
            "maxToolCalls", "writeFiles", "run", "planner", "search", "reflection");
    private static final Set<String> REFLECTION_KEYS = Set.of("maxTrials", "judge", "key", "tests", "maxSteps");
    private static final Set<String> SEARCH_KEYS = Set.of("width", "maxDepth", "maxCalls");
    private static final Set<String> OUTPUT_KEYS = Set.of("schema");
    private static final Set<String> RUN_KEYS = Set.of("command", "timeout", "maxOutput", "maxFailures", "onFailure", "network", "maxFileMb");
    private static final Set<String> ON_FAILURE_KEYS = Set.of("sendTo");

    private TeamLoader() {}

    /** Loads {@code ref}: {@code builtin:<name>}, the bare name of a built-in team, or a path to a YAML file. */
    public static TeamDefinition load(String ref) {
        if (ref.startsWith(BUILTIN)) {
            return builtin(ref.substring(BUILTIN.length()));
        }
        Path p = Path.of(ref);
        if (!Files.exists(p) && builtinNames().contains(ref)) {
            return builtin(ref);
        }
        return load(p);
    }

    public static TeamDefinition load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new TeamDefinitionException("Team file not found: " + file + ". Give a YAML file or a built-in team ("
                    + String.join(", ", builtinNames()) + ").");
        }
        return load(Source.file(file));
    }

    /** Parses a team definition held in memory; {@code name} stands for the file in error messages. */
    public static TeamDefinition parse(String yaml, String name) {
        return load(Source.text(yaml, name));
    }

    public static TeamDefinition builtin(String name) {
        if (!builtinNames().contains(name)) {
            String near = Strings.nearest(name, builtinNames());
            throw new TeamDefinitionException("There is no built-in team '" + name + "'"
                    + (near == null ? "" : " (did you mean '" + near + "'?)") + ". Built-in teams: " + String.join(", ", builtinNames()) + ".");
        }
        return load(Source.resource(LIBRARY + name + "/team.yaml", BUILTIN + name + "/team.yaml"));
    }

    /** The names of the built-in teams. */
    public static ImmutableList<String> builtinNames() {
        try {
            return Source.resource(LIBRARY + "teams.txt", "builtin teams.txt").read().lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(ImmutableList.toImmutableList());
        } catch (IOException e) {
            throw new UncheckedIOException("the built-in team index is missing", e);
        }
    }

    /** The names of the built-in actions that {@code use: builtin:<name>} can refer to. */
    public static ImmutableList<String> builtinActionNames() {
        return ImmutableList.copyOf(library().keySet());
    }

    static TeamDefinition load(Source source) {
        String text;
        try {
            text = source.read();
        } catch (NoSuchFileException e) {
            throw new TeamDefinitionException("Team file not found: " + source.displayName());
        } catch (IOException e) {
            throw new TeamDefinitionException("Cannot read " + source.displayName() + ": " + e.getMessage(), e);
        }
        YamlNode root = YamlNode.parse(text, source.displayName());
        Map<String, YamlNode> top = root.mapping(TEAM_KEYS);

        TeamDefinition base = YamlNode.get(top, "extends").map(TeamLoader::base).orElse(null);
        String name = YamlNode.get(top, "name").map(n -> {
            if (n.string().isBlank()) {
                throw n.error("'name:' is empty; give the team a name");
            }
            return n.string();
        }).orElseGet(() -> {
            if (base == null) {
                throw root.error("a team needs a 'name:'");
            }
            return base.name();
        });
        String description = YamlNode.get(top, "description").map(YamlNode::string).orElse(base == null ? "" : base.description());

        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, String> locations = new LinkedHashMap<>();
        if (base != null) {
            base.roles().forEach(r -> roles.put(r.name(), r));
            locations.putAll(base.roleLocations());
        }
        YamlNode rolesNode = top.get("roles");
        if (rolesNode == null && base == null) {
            throw root.error("a team needs 'roles:', a list of roles");
        }
        if (rolesNode != null) {
            if (base == null && rolesNode.list().isEmpty()) {
                throw rolesNode.error("a team needs at least one role under 'roles:'");
            }
            Set<String> inThisFile = new HashSet<>();
            for (YamlNode rn : rolesNode.list()) {
                Role r = role(rn, source);
                if (!inThisFile.add(r.name())) {
                    throw rn.error("two roles are named '" + r.name() + "'; rename one");
                }
                roles.put(r.name(), r);
                locations.put(r.name(), rn.location());
            }
        }

        Optional<Budget> budget = YamlNode.get(top, "budget").map(TeamLoader::budget).or(() -> base == null ? Optional.empty() : base.budget());
        Map<String, YamlNode> limits = YamlNode.get(top, "limits").map(n -> n.mapping(LIMIT_KEYS)).orElse(Map.of());
        Optional<Integer> maxRounds = YamlNode.get(limits, "maxRounds").map(n -> positive(n, n.integer()))
                .or(() -> base == null ? Optional.empty() : base.maxRounds());
        Optional<Duration> timeout = YamlNode.get(limits, "timeout").map(n -> {
            Duration d = n.duration();
            if (!d.isPositive()) {
                throw n.error("the timeout must be positive");
            }
            return d;
        }).or(() -> base == null ? Optional.empty() : base.timeout());

        Optional<Sandbox> sandbox = YamlNode.get(top, "sandbox").map(n -> switch (n.string()) {
            case "none" -> Sandbox.NONE;
            case "bubblewrap" -> Sandbox.BUBBLEWRAP;
            default -> throw n.error("'sandbox' is 'bubblewrap' (the default: commands run confined to the workspace) or 'none'"
                    + " (commands run with your own rights), not '" + n.string() + "'");
        });
        TeamDefinition def = new TeamDefinition(name, description, source,
                YamlNode.get(top, "model").map(YamlNode::string).or(() -> base == null ? Optional.empty() : base.model()),
                YamlNode.get(top, "offlineModel").map(YamlNode::string).or(() -> base == null ? Optional.empty() : base.offlineModel()),
                YamlNode.get(top, "idea").map(YamlNode::string).or(() -> base == null ? Optional.empty() : base.idea()),
                budget, maxRounds, timeout, ImmutableList.copyOf(roles.values()), ImmutableMap.copyOf(locations));
        checkSop(def);
        return sandbox.map(def::withSandbox).orElse(def);
    }

    private static TeamDefinition base(YamlNode n) {
        String ref = n.string();
        if (!ref.startsWith(BUILTIN)) {
            throw n.error("'extends' takes a built-in team as builtin:<name> (one of " + String.join(", ", builtinNames()) + ")");
        }
        String name = ref.substring(BUILTIN.length());
        if (!builtinNames().contains(name)) {
            String near = Strings.nearest(name, builtinNames());
            throw n.error("there is no built-in team '" + name + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
                    + "; built-in teams: " + String.join(", ", builtinNames()));
        }
        return builtin(name);
    }

    private static Budget budget(YamlNode n) {
        Map<String, YamlNode> m = n.mapping(BUDGET_KEYS);
        Budget b = Budget.unlimited();
        if (m.containsKey("usd")) {
            double usd = m.get("usd").decimal();
            if (usd <= 0) {
                throw m.get("usd").error("the budget in USD must be > 0");
            }
            b = b.withUsd(usd);
        }
        if (m.containsKey("tokens")) {
            long tokens = m.get("tokens").longValue();
            if (tokens <= 0) {
                throw m.get("tokens").error("the token budget must be > 0");
            }
            b = b.withTokens(tokens);
        }
        return b;
    }

    private static Role role(YamlNode n, Source source) {
        Map<String, YamlNode> m = n.mapping(ROLE_KEYS);
        YamlNode nameNode = m.get("name");
        if (nameNode == null) {
            throw n.error("a role needs a 'name:'");
        }
        String name = nameNode.string();
        Role.Builder b = Role.builder(name);
        YamlNode.get(m, "profile").ifPresent(v -> b.profile(v.string()));
        YamlNode.get(m, "goal").ifPresent(v -> b.goal(v.string()));
        YamlNode.get(m, "constraints").ifPresent(v -> b.constraints(v.string()));
        YamlNode.get(m, "watch").ifPresent(v -> b.watch(v.stringList()));
        YamlNode.get(m, "mode").ifPresent(v -> b.mode(mode(v)));
        YamlNode.get(m, "maxReactLoop").ifPresent(v -> b.maxReactLoop(positive(v, v.integer())));
        YamlNode.get(m, "maxReplans").ifPresent(v -> b.maxReplans(v.integer()));
        YamlNode.get(m, "waitForAll").ifPresent(v -> b.waitForAll(v.bool()));
        YamlNode.get(m, "model").ifPresent(v -> b.model(v.string()));
        YamlNode actionsNode = m.get("actions");
        if (actionsNode == null) {
            throw n.error("role '" + name + "' needs 'actions:', a list of actions");
        }
        Optional<ToolProvider> tools = YamlNode.get(m, "tools").map(v -> tools(v, source));
        List<Action> actions = new ArrayList<>();
        for (YamlNode an : actionsNode.list()) {
            Action a = action(an, source, "role '" + name + "'", tools);
            // A role's planner and search bounds are the default of its actions; an action's own keys win.
            Map<String, YamlNode> own = an.mapping(ACTION_KEYS);
            Action.Builder ab = a.newBuilder();
            if (!own.containsKey("planner")) {
                YamlNode.get(m, "planner").ifPresent(v -> ab.planner(planner(v)));
            }
            if (!own.containsKey("search")) {
                YamlNode.get(m, "search").ifPresent(v -> ab.search(search(v)));
            }
            if (!own.containsKey("reflection") && m.containsKey("reflection") && (a.hasTools() || tools.isPresent() || a.writesFiles())) {
                ab.reflection(reflection(m.get("reflection")));
            }
            actions.add(ab.build());
        }
        try {
            return b.actions(actions).build();
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    private static ReactMode mode(YamlNode v) {
        String s = v.string().trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (s) {
            case "by_order" -> ReactMode.BY_ORDER;
            case "react" -> ReactMode.REACT;
            case "plan_and_act" -> ReactMode.PLAN_AND_ACT;
            default -> throw v.error("unknown mode '" + v.string() + "'; use by_order, react or plan_and_act");
        };
    }

    private static Action action(YamlNode n, Source source, String owner, Optional<ToolProvider> roleTools) {
        Map<String, YamlNode> m = n.mapping(ACTION_KEYS);
        Action.Builder b;
        if (m.containsKey("use")) {
            YamlNode use = m.get("use");
            String ref = use.string();
            String actionName = ref.startsWith(BUILTIN) ? ref.substring(BUILTIN.length()) : null;
            Action base = actionName == null ? null : library().get(actionName);
            if (base == null) {
                String near = actionName == null ? null : Strings.nearest(actionName, library().keySet());
                throw use.error("unknown action '" + ref + "'" + (near == null ? "" : " (did you mean 'builtin:" + near + "'?)")
                        + "; built-in actions: " + String.join(", ", library().keySet().stream().map(k -> BUILTIN + k).toList()));
            }
            b = base.newBuilder();
        } else {
            YamlNode nameNode = m.get("name");
            if (nameNode == null) {
                throw n.error("an action of " + owner + " needs a 'name:' (or 'use: builtin:<action>')");
            }
            b = Action.builder(nameNode.string());
            if (!m.containsKey("instruction") && !m.containsKey("run")) {
                throw n.error("action '" + nameNode.string() + "' of " + owner + " needs an 'instruction:' (or 'run:' for a command)");
            }
        }
        YamlNode.get(m, "name").ifPresent(v -> b.name(v.string()));
        YamlNode.get(m, "instruction").ifPresent(v -> b.instruction(v.string()));
        YamlNode.get(m, "output").ifPresent(v -> b.schema(schema(v, source).orElse(null)));
        YamlNode.get(m, "sendTo").ifPresent(v -> b.sendTo(v.stringList()));
        YamlNode.get(m, "on").ifPresent(v -> b.on(v.stringList()));
        YamlNode.get(m, "maxRepairs").ifPresent(v -> b.maxRepairs(v.integer()));
        YamlNode.get(m, "maxToolCalls").ifPresent(v -> b.maxToolCalls(positive(v, v.integer())));
        YamlNode.get(m, "writeFiles").ifPresent(v -> b.writesFiles(v.bool()));
        YamlNode.get(m, "run").ifPresent(v -> b.command(command(v)));
        YamlNode.get(m, "planner").ifPresent(v -> b.planner(planner(v)));
        YamlNode.get(m, "search").ifPresent(v -> b.search(search(v)));
        YamlNode.get(m, "reflection").ifPresent(v -> b.reflection(reflection(v)));
        if (roleTools.isPresent() && !m.containsKey("run")) {
            b.toolProvider(roleTools.get());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    private static PlannerKind planner(YamlNode v) {
        return switch (v.string().trim().toLowerCase(Locale.ROOT)) {
            case "react" -> PlannerKind.REACT;
            case "dfsdt" -> PlannerKind.DFSDT;
            case "staged" -> PlannerKind.STAGED;
            default -> throw v.error("unknown planner '" + v.string() + "'; use react, dfsdt or staged");
        };
    }

    /**
     * A role's {@code tools:}: spec files or a catalog, opened now so a bad file is reported with its line;
     * or MCP servers, checked now and started when the tools are first asked for.
     */
    private static ToolProvider tools(YamlNode v, Source source) {
        Map<String, YamlNode> m = v.mapping(TOOLS_KEYS);
        if (m.containsKey("mcp")) {
            return mcpTools(v);
        }
        if (m.containsKey("specs") == m.containsKey("catalog")) {
            throw v.error("'tools' needs exactly one of 'specs:' (API spec files or folders), 'catalog:' (a folder made by"
                    + " 'troupe tools import') or 'mcp:' (MCP servers)");
        }
        ImmutableList<Path> specs = YamlNode.get(m, "specs").map(n -> n.stringList().stream()
                .map(p -> materialize(source.sibling(p), n)).collect(ImmutableList.toImmutableList())).orElse(ImmutableList.of());
        Optional<Path> catalog = YamlNode.get(m, "catalog").map(n -> {
            Source dir = source.sibling(n.string());
            Path p = dir instanceof Source.FileSource f ? f.path() : Path.of(n.string());
            if (!java.nio.file.Files.isDirectory(p)) {
                throw n.error("catalog folder '" + n.string() + "' does not exist; build one with 'troupe tools import SPECS --catalog DIR'");
            }
            return p;
        });
        Optional<SearchMode> mode = YamlNode.get(m, "mode").map(n -> {
            try {
                return SearchMode.parse(n.string());
            } catch (RuntimeException e) {
                throw n.error("unknown search mode '" + n.string() + "'; use bm25, dense, hybrid or rrf");
            }
        });
        Optional<Path> fixtures = YamlNode.get(m, "fixtures").map(n -> materialize(source.sibling(n.string()), n));
        ToolsDefinition def = new ToolsDefinition(specs, catalog,
                YamlNode.get(m, "names").map(YamlNode::stringList).orElse(ImmutableList.of()),
                YamlNode.get(m, "retrieve").map(n -> positive(n, n.integer())).orElse(0), mode,
                YamlNode.get(m, "virtual").map(YamlNode::bool).orElse(false), fixtures,
                YamlNode.get(m, "allowHosts").map(YamlNode::stringList).orElse(ImmutableList.of()),
                YamlNode.get(m, "readOnly").map(YamlNode::stringList).orElse(ImmutableList.of()));
        try {
            return def.open();
        } catch (RuntimeException e) {
            throw v.error("the tools cannot be loaded: " + e.getMessage());
        }
    }

    /** A role's {@code tools: mcp:} servers, through the MCP client on the class path. */
    private static ToolProvider mcpTools(YamlNode v) {
        Map<String, YamlNode> m = v.mapping(MCP_TOOLS_KEYS);
        List<McpServerDefinition> servers = new ArrayList<>();
        Set<String> serverNames = new java.util.HashSet<>();
        for (YamlNode sn : m.get("mcp").list()) {
            Map<String, YamlNode> s = sn.mapping(MCP_SERVER_KEYS);
            YamlNode nameNode = s.get("name");
            if (nameNode == null) {
                throw sn.error("an MCP server needs a 'name:'");
            }
            if (!serverNames.add(nameNode.string())) {
                throw nameNode.error("two MCP servers are named '" + nameNode.string() + "'; give each server its own name");
            }
            if (s.containsKey("command") == s.containsKey("url")) {
                throw sn.error("MCP server '" + nameNode.string() + "' needs exactly one of 'command:' (a program speaking MCP on"
                        + " stdio, e.g. [npx, -y, \"@modelcontextprotocol/server-filesystem\", .]) or 'url:' (a Streamable HTTP endpoint)");
            }
            if (s.containsKey("env") && !s.containsKey("command")) {
                throw s.get("env").error("'env:' is for a stdio server ('command:'); an HTTP server takes 'headers:'");
            }
            if (s.containsKey("headers") && !s.containsKey("url")) {
                throw s.get("headers").error("'headers:' is for an HTTP server ('url:'); a stdio server takes 'env:'");
            }
            ImmutableList<String> command = YamlNode.get(s, "command").map(YamlNode::stringList).orElse(ImmutableList.of());
            if (s.containsKey("command") && command.isEmpty()) {
                throw s.get("command").error("'command:' is empty; give the program and its arguments");
            }
            Optional<String> url = YamlNode.get(s, "url").map(u -> {
                String text = u.string();
                if (!text.startsWith("http://") && !text.startsWith("https://")) {
                    throw u.error("'url:' must be an http:// or https:// address, was '" + text + "'");
                }
                return text;
            });
            servers.add(new McpServerDefinition(nameNode.string(), command, url,
                    YamlNode.get(s, "env").map(YamlNode::stringMap).orElse(com.google.common.collect.ImmutableMap.of()),
                    YamlNode.get(s, "headers").map(YamlNode::stringMap).orElse(com.google.common.collect.ImmutableMap.of()),
                    sn.location()));
        }
        if (servers.isEmpty()) {
            throw m.get("mcp").error("'mcp:' lists no server; give at least one with 'name:' and 'command:' or 'url:'");
        }
        McpToolsDefinition def = new McpToolsDefinition(ImmutableList.copyOf(servers),
                YamlNode.get(m, "names").map(YamlNode::stringList).orElse(ImmutableList.of()),
                YamlNode.get(m, "retrieve").map(n -> positive(n, n.integer())).orElse(0),
                YamlNode.get(m, "readOnly").map(YamlNode::stringList).orElse(ImmutableList.of()),
                YamlNode.get(m, "allowHosts").map(YamlNode::stringList).orElse(ImmutableList.of()));
        McpToolSource client = McpToolSource.installed().orElseThrow(() -> m.get("mcp").error(
                "'mcp:' needs the MCP client, which is not on the class path; add the dependency dev.troupe:troupe-mcp"));
        return client.open(def);
    }

    /** A file the team names, as a path: itself on disk, or a temporary copy of a built-in resource. */
    private static Path materialize(Source s, YamlNode at) {
        if (s instanceof Source.FileSource f) {
            if (!java.nio.file.Files.exists(f.path())) {
                throw at.error("'" + f.path() + "' does not exist; paths are relative to the team file");
            }
            return f.path();
        }
        try (java.io.InputStream in = s.open()) {
            String name = s.displayName().substring(s.displayName().lastIndexOf('/') + 1);
            Path dir = java.nio.file.Files.createTempDirectory("troupe-builtin-");
            Path tmp = dir.resolve(name);
            java.nio.file.Files.copy(in, tmp);
            dir.toFile().deleteOnExit();
            tmp.toFile().deleteOnExit();
            return tmp;
        } catch (IOException e) {
            throw at.error("cannot read " + s.displayName() + ": " + e.getMessage());
        }
    }

    private static ReflectionSettings reflection(YamlNode v) {
        Map<String, YamlNode> m = v.mapping(REFLECTION_KEYS);
        ReflectionSettings r = ReflectionSettings.defaults();
        try {
            if (m.containsKey("maxTrials")) {
                r = r.withMaxTrials(positive(m.get("maxTrials"), m.get("maxTrials").integer()));
            }
            if (m.containsKey("maxSteps")) {
                r = r.withMaxSteps(positive(m.get("maxSteps"), m.get("maxSteps").integer()));
            }
            if (m.containsKey("key")) {
                r = r.withKey(m.get("key").string());
            }
            if (m.containsKey("tests")) {
                r = r.withTests(command(m.get("tests")));
            }
            if (m.containsKey("judge")) {
                YamlNode j = m.get("judge");
                r = r.withJudge(switch (j.string().trim().toLowerCase(Locale.ROOT)) {
                    case "schema" -> ReflectionSettings.Judge.SCHEMA;
                    case "tools" -> ReflectionSettings.Judge.TOOLS;
                    case "tests" -> ReflectionSettings.Judge.TESTS;
                    case "llm" -> ReflectionSettings.Judge.LLM;
                    default -> throw j.error("unknown judge '" + j.string() + "'; use schema, tools, tests or llm");
                });
            }
            return r;
        } catch (IllegalArgumentException e) {
            throw v.error(e.getMessage() + (e.getMessage().contains("tests judge") ? "; add 'tests: {command: …}'" : ""));
        }
    }

    private static SearchSettings search(YamlNode v) {
        Map<String, YamlNode> m = v.mapping(SEARCH_KEYS);
        SearchSettings d = SearchSettings.defaults();
        return new SearchSettings(
                YamlNode.get(m, "width").map(n -> positive(n, n.integer())).orElse(d.width()),
                YamlNode.get(m, "maxDepth").map(n -> positive(n, n.integer())).orElse(d.maxDepth()),
                YamlNode.get(m, "maxCalls").map(n -> positive(n, n.integer())).orElse(d.maxCalls()));
    }

    /** {@code output: text}, or {@code output: {schema: file.json}}, or an inline schema. */
    private static Optional<JsonNode> schema(YamlNode v, Source source) {
        if (v.isScalar()) {
            if (v.string().trim().equals("text")) {
                return Optional.empty();
            }
            throw v.error("'output' is either 'text' or a mapping with 'schema:' (a file or an inline JSON Schema)");
        }
        YamlNode s = v.mapping(OUTPUT_KEYS).get("schema");
        if (s == null) {
            throw v.error("'output' needs 'schema:' (a file or an inline JSON Schema), or write 'output: text'");
        }
        JsonNode schema;
        if (s.isScalar()) {
            Source file = source.sibling(s.string());
            if (!file.exists()) {
                throw s.error("schema file '" + s.string() + "' does not exist (looked for " + file.displayName()
                        + "); paths are relative to the team file");
            }
            try {
                schema = Json.MAPPER.readTree(file.read());
            } catch (JsonProcessingException e) {
                throw s.error("schema file " + file.displayName() + " is not valid JSON: " + e.getOriginalMessage()
                        + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
            } catch (IOException e) {
                throw s.error("cannot read schema file " + file.displayName() + ": " + e.getMessage());
            }
        } else {
            schema = s.toJson();
        }
        try {
            OutputSchema.of(schema, s.path());
        } catch (RuntimeException e) {
            throw s.error(e.getMessage());
        }
        return Optional.of(schema);
    }

    private static CommandSpec command(YamlNode v) {
        Map<String, YamlNode> m = v.mapping(RUN_KEYS);
        YamlNode cmd = m.get("command");
        if (cmd == null) {
            throw v.error("'run' needs a 'command:'");
        }
        CommandSpec spec;
        try {
            spec = CommandSpec.of(cmd.string());
        } catch (IllegalArgumentException e) {
            throw cmd.error(e.getMessage());
        }
        // each value is checked where it is written, so errors point at its line
        YamlNode at = null;
        try {
            if ((at = m.get("timeout")) != null) {
                spec = spec.withTimeout(at.duration());
            }
            if ((at = m.get("maxOutput")) != null) {
                spec = spec.withMaxOutputChars(at.integer());
            }
            if ((at = m.get("maxFileMb")) != null) {
                spec = spec.withMaxFileMb(at.integer());
            }
            if ((at = m.get("network")) != null) {
                spec = spec.withNetwork(at.bool());
            }
            if ((at = m.get("maxFailures")) != null) {
                spec = spec.withMaxFailures(at.integer());
            }
            if ((at = m.get("onFailure")) != null) {
                YamlNode to = at.mapping(ON_FAILURE_KEYS).get("sendTo");
                if (to == null) {
                    throw at.error("'onFailure' needs 'sendTo:', the roles that get failing output");
                }
                spec = spec.withOnFailureSendTo(to.stringList());
            }
        } catch (IllegalArgumentException e) {
            throw at.error(e.getMessage());
        }
        return spec;
    }

    private static int positive(YamlNode n, int value) {
        if (value < 1) {
            throw n.error("must be at least 1, found " + value);
        }
        return value;
    }

    /** Validates the SOP now, so its errors point at the roles' lines. */
    private static void checkSop(TeamDefinition def) {
        try {
            // every role gets the dry-run model, so that checking the SOP does not resolve the roles'
            // own model specs (relative to the working directory, with the process environment)
            DryRunModel dryRun = new DryRunModel();
            Team.Builder b = Team.builder(def.name()).roles(def.roles()).model(dryRun);
            def.roles().forEach(r -> b.roleModel(r.name(), dryRun));
            b.build();
        } catch (SopValidationException e) {
            List<String> located = new ArrayList<>();
            for (SopProblem p : e.problems()) {
                String file = def.source().displayName();
                String where = p.role().map(r -> def.roleLocations().getOrDefault(r, file)).orElse(file);
                located.add(where + ": " + p.message());
            }
            // Problems may sit in roles a team inherits with 'extends:'; the header names the file that was loaded.
            throw new TeamDefinitionException(def.source().displayName() + ": team '" + def.name() + "' has an invalid SOP:\n  - "
                    + String.join("\n  - ", located), e);
        }
    }

    private static volatile ImmutableMap<String, Action> library;

    /** The built-in action library, loaded once from {@code builtin/actions.yaml}. */
    private static ImmutableMap<String, Action> library() {
        ImmutableMap<String, Action> lib = library;
        if (lib == null) {
            Source src = Source.resource(LIBRARY + "actions.yaml", "builtin:actions.yaml");
            try {
                YamlNode root = YamlNode.parse(src.read(), src.displayName());
                Map<String, Action> m = new LinkedHashMap<>();
                for (YamlNode an : root.mapping(ImmutableSet.of("actions")).get("actions").list()) {
                    Action a = action(an, src, "the built-in library", Optional.empty());
                    m.put(a.name(), a);
                }
                lib = ImmutableMap.copyOf(m);
                library = lib;
            } catch (IOException e) {
                throw new UncheckedIOException("the built-in action library is missing", e);
            }
        }
        return lib;
    }
}
