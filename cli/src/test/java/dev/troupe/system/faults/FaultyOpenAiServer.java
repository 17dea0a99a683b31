package dev.troupe.system.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.json.internal.JsonExtractor;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.internal.PromptText;
import dev.troupe.agents.role.Role;
import dev.troupe.roles.TeamDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A local OpenAI-compatible chat server for fault tests: it answers {@code POST /v1/chat/completions}
 * from a team's bundled offline script, as a real server would (usage included), and injects faults
 * into a seeded share of the requests.
 *
 * <p>Each request is mapped back onto the {@link ModelRequest} the runtime made: the role from the
 * system prompt ("You are &lt;Name&gt;, …"), the action from the longest static prefix of the role's
 * action instructions that starts the first user message (or the wording of the internal
 * {@code _think}/{@code _plan} steps, or the question a reflective action's {@code _stage}/{@code _reflect}
 * step asks after it), the step from the number of assistant turns.
 *
 * <p>Which requests are faulted is drawn by {@link FaultDraws} from the seed and the request body, so a
 * seed gives the same faults however the roles' threads interleave, and {@link Builder#maxFaultsPerCall}
 * bounds the faults one call meets across its retries. Like OpenAI, the server checks the key (401)
 * and the model (404 model_not_found) before anything else.
 */
final class FaultyOpenAiServer implements AutoCloseable {

    /** What the server can do to a request instead of answering it well. */
    enum Fault {
        /** 429 rate_limit_exceeded with {@code Retry-After: 0} or {@code 1}. */
        RATE_LIMIT_429,
        /** 500 server_error. */
        SERVER_ERROR_500,
        /** 503, "the engine is currently overloaded". */
        UNAVAILABLE_503,
        /** The request is read, then the connection is closed with no response. */
        DISCONNECT_BEFORE_RESPONSE,
        /** A 200 whose connection is closed half-way through the body. */
        DISCONNECT_DURING_BODY,
        /** No response at all: the client's read timeout ({@code TROUPE_MODEL_TIMEOUT}) has to end it. */
        READ_TIMEOUT,
        /** A 200 with complete headers and a body cut mid-JSON (its Content-Length matches the cut). */
        TRUNCATED_BODY,
        /** A well-formed 200 whose content the action's schema rejects: prose, or JSON without the required fields. */
        SCHEMA_BREAKING;

        /** Faults after which the client got a complete 200 with usage, so the call is billed. */
        boolean billed() {
            return this == SCHEMA_BREAKING;
        }
    }

    /**
     * One request as the server saw it.
     *
     * @param call which gateway call it belongs to: role, action and a hash of the body, which its retries share
     */
    record Exchange(int index, String call, String role, String action, int step, Optional<Fault> fault, long promptTokens,
                    long completionTokens) {
        boolean billed() {
            return fault.isEmpty() || fault.get().billed();
        }
    }

    // As RoleAgent words its internal steps; a change there makes this server answer 400 naming the prompt.
    private static final String THINK_PROMPT = "Decide your next step.";
    private static final String PLAN_PROMPT = "Plan the work for the news below";
    private static final String OUTPUT_FORMAT = "## Output format\n";
    private static final String STAGE_QUESTION = "Plan every action you can take now";
    private static final String REFLECT_QUESTION = "Find the earliest critical step";
    /** The re-asks a reflective action's internal question gets (StructuredAsk's bound). */
    private static final int REFLECTIVE_REPAIRS = 2;
    private static final String PROSE_ONLY = "I am sorry, I could not finish this one. Here is a summary in words instead:"
            + " the work is mostly done and the rest follows later.";

    private final TeamDefinition team;
    private final ModelBackend script;
    private final String model;
    private final String apiKey;
    private final FaultDraws<Fault> draws;
    private final ImmutableSet<Fault> kinds;
    private final boolean withinRepairBudget;
    private final int revokeKeyAfter;
    private final java.util.Set<String> toolsOffered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final MockWebServer server = new MockWebServer();

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    private FaultyOpenAiServer(Builder b) {
        this.team = b.team;
        this.script = b.team.resolve(b.team.offlineModel().orElseThrow(() -> new IllegalArgumentException(
                "team '" + b.team.name() + "' has no offlineModel to answer from")), ModelResolver.withEnv(Map.of()));
        this.model = b.model;
        this.apiKey = b.apiKey;
        this.draws = new FaultDraws<>(Fault.class, b.faultRate, b.seed, b.maxFaultsPerCall);
        this.kinds = ImmutableSet.copyOf(b.kinds);
        this.withinRepairBudget = b.withinRepairBudget;
        this.revokeKeyAfter = b.revokeKeyAfter;
    }

    static Builder builder(TeamDefinition team) {
        return new Builder(team);
    }

    /** The base URL to give as {@code OPENAI_BASE_URL}. */
    String baseUrl() {
        return server.url("/v1").toString();
    }

    int requests() {
        return requests.get();
    }

    /** How many of each fault were injected; every kind is listed. */
    ImmutableMap<Fault, Integer> injected() {
        return draws.injected();
    }

    int faults() {
        return draws.faults();
    }

    /** Requests answered 401 because of a wrong or revoked key. */
    int unauthorized() {
        return unauthorized.get();
    }

    /** Requests whose draw said "fault" but which were answered because their call had met its share of faults. */
    int spared() {
        return draws.spared();
    }

    /** How many 429s asked to wait each number of seconds. */
    ImmutableMap<String, Integer> retryAfterSeconds() {
        return draws.retryAfterSeconds();
    }

    /** Every request in arrival order. */
    ImmutableList<Exchange> exchanges() {
        synchronized (exchanges) {
            return exchanges.stream().sorted((a, b) -> Integer.compare(a.index(), b.index())).collect(ImmutableList.toImmutableList());
        }
    }

    /** The names of every function a request offered the model. */
    ImmutableSet<String> toolsOffered() {
        return ImmutableSet.copyOf(toolsOffered);
    }

    /** Requests this server could not map onto the team (each answered 400); empty when the mapping works. */
    ImmutableList<String> problems() {
        return ImmutableList.copyOf(problems);
    }

    /** A one-line account for test output. */
    String summary() {
        return "requests=" + requests() + " " + draws.summary();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }

    private MockResponse dispatch(RecordedRequest request) {
        int index = requests.getAndIncrement();
        if (!"POST".equals(request.getMethod()) || !"/v1/chat/completions".equals(request.getPath())) {
            return error(404, "Unknown request URL: " + request.getMethod() + " " + request.getPath(), "invalid_request_error", "unknown_url");
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || !auth.equals("Bearer " + apiKey) || answered.get() >= revokeKeyAfter) {
            unauthorized.incrementAndGet();
            return error(401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error", "invalid_api_key");
        }
        String text = request.getBody().readUtf8();
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return problem("the request body is not JSON: " + e.getMessage());
        }
        String asked = body.path("model").asText();
        if (!asked.equals(model)) {
            return error(404, "The model `" + asked + "` does not exist or you do not have access to it.",
                    "invalid_request_error", "model_not_found");
        }
        Call call;
        try {
            call = call(body);
        } catch (IllegalArgumentException e) {
            return problem(e.getMessage());
        }
        FaultDraws.Draw<Fault> draw = draws.draw(text, eligible(call));
        Optional<Fault> fault = draw.fault();
        SplittableRandom random = draw.random();
        long promptTokens = PromptText.estimateTokens(call.request().promptText());
        MockResponse response;
        try {
            response = respond(index, call, fault, promptTokens, random);
        } catch (RuntimeException e) {
            return problem(call.request().where() + ": " + e);
        }
        long completionTokens = fault.isEmpty() || fault.get().billed() ? completionTokensOf(response) : 0;
        String callId = call.role().name() + "/" + call.request().action() + "#" + Integer.toHexString(text.hashCode());
        exchanges.add(new Exchange(index, callId, call.role().name(), call.request().action(), call.request().step(), fault,
                promptTokens, completionTokens));
        return response;
    }

    private MockResponse respond(int index, Call call, Optional<Fault> fault, long promptTokens, SplittableRandom random) {
        return switch (fault.orElse(null)) {
            case null -> {
                AiMessage ai = script.chat(call.request()).aiMessage();
                answered.incrementAndGet();
                yield completion(index, ai, promptTokens);
            }
            case RATE_LIMIT_429 -> {
                String seconds = draws.retryAfter(random);
                yield error(429, "Rate limit reached for " + model + " on requests per min (RPM). Please try again in "
                        + seconds + "s.", "requests", "rate_limit_exceeded").setHeader("Retry-After", seconds);
            }
            case SERVER_ERROR_500 -> error(500, "The server had an error while processing your request. Sorry about that!",
                    "server_error", null);
            case UNAVAILABLE_503 -> error(503, "The engine is currently overloaded, please try again later.", "server_error", null);
            case DISCONNECT_BEFORE_RESPONSE -> FaultResponses.disconnectBeforeResponse();
            case DISCONNECT_DURING_BODY -> FaultResponses.disconnectDuringBody(completion(index, AiMessage.from(PROSE_ONLY), promptTokens));
            case READ_TIMEOUT -> FaultResponses.noResponse();
            case TRUNCATED_BODY -> FaultResponses.truncated(200,
                    completion(index, AiMessage.from(PROSE_ONLY), promptTokens).getBody().readUtf8(), random);
            case SCHEMA_BREAKING -> completion(index, AiMessage.from(schemaBreaking(call, random)), promptTokens);
        };
    }

    /** The faults this call may get: schema-breaking outputs only where the action has a schema (and, if asked, a repair left). */
    private List<Fault> eligible(Call call) {
        List<Fault> eligible = new ArrayList<>();
        for (Fault f : kinds) {
            if (f != Fault.SCHEMA_BREAKING
                    || (call.schema().isPresent() && (!withinRepairBudget || call.request().step() < call.maxRepairs()))) {
                eligible.add(f);
            }
        }
        return eligible;
    }

    /** A 200 answer that the action's schema rejects: prose with no JSON, or an object without the required fields. */
    private static String schemaBreaking(Call call, SplittableRandom random) {
        OutputSchema schema = call.schema().orElseThrow();
        String content = random.nextBoolean() ? PROSE_ONLY
                : "```json\n{\"status\": \"incomplete\", \"note\": \"the rest follows\"}\n```";
        Optional<JsonNode> json = JsonExtractor.extract(content);
        if (json.isPresent() && schema.validate(json.get()).isEmpty()) {
            throw new IllegalArgumentException("the schema of " + call.request().where() + " accepts " + content);
        }
        return content;
    }

    /** What the runtime asked: the request rebuilt from the body, and the role, schema and repairs of its action. */
    private record Call(Role role, ModelRequest request, Optional<OutputSchema> schema, int maxRepairs) {}

    private Call call(JsonNode body) {
        List<ChatMessage> messages = new ArrayList<>();
        String system = null;
        String firstUser = null;
        List<String> users = new ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            String content = m.path("content").asText("");
            switch (m.path("role").asText()) {
                case "system" -> {
                    system = system == null ? content : system;
                    messages.add(SystemMessage.from(content));
                }
                case "user" -> {
                    firstUser = firstUser == null ? content : firstUser;
                    users.add(content);
                    messages.add(UserMessage.from(content));
                }
                case "assistant" -> messages.add(m.path("tool_calls").isEmpty() ? AiMessage.from(content) : toolCalls(m));
                case "tool" -> messages.add(ToolExecutionResultMessage.from(m.path("tool_call_id").asText(), "", content));
                default -> throw new IllegalArgumentException("unexpected message role '" + m.path("role").asText() + "'");
            }
        }
        if (system == null || firstUser == null) {
            throw new IllegalArgumentException("a call needs a system and a user message, got " + body.path("messages"));
        }
        for (JsonNode t : body.path("tools")) {
            // OpenAI refuses a request whose function names or parameters it cannot use.
            String name = t.path("function").path("name").asText();
            if (!t.path("type").asText().equals("function") || !name.matches("[a-zA-Z0-9_-]{1,64}")
                    || !t.path("function").path("parameters").path("type").asText("object").equals("object")) {
                throw new IllegalArgumentException("OpenAI would refuse the tool " + t);
            }
            toolsOffered.add(name);
        }
        Role role = role(system);
        String prompt = firstUser;
        String action = reflectiveStep(users).orElseGet(() -> action(role, prompt));
        int step = (int) messages.stream().filter(AiMessage.class::isInstance).count();
        Optional<OutputSchema> schema = schemaIn(firstUser, role.name() + "/" + action);
        int maxRepairs = role.action(action).map(Action::maxRepairs)
                .orElseGet(() -> action.equals("_stage") || action.equals("_reflect") ? REFLECTIVE_REPAIRS
                        : Action.builder(action).instruction("-").build().maxRepairs());   // _think, _plan: the default
        ModelRequest request = new ModelRequest("faulty-server", role.name(), action, step,
                ChatRequest.builder().messages(messages).build(), schema.map(OutputSchema::node));
        return new Call(role, request, schema, maxRepairs);
    }

    /** An assistant turn that called tools, as the runtime sent it back. */
    private static AiMessage toolCalls(JsonNode m) {
        List<ToolExecutionRequest> calls = new ArrayList<>();
        for (JsonNode c : m.path("tool_calls")) {
            calls.add(ToolExecutionRequest.builder().id(c.path("id").asText()).name(c.path("function").path("name").asText())
                    .arguments(c.path("function").path("arguments").asText()).build());
        }
        return AiMessage.from(calls);
    }

    private Role role(String system) {
        return team.roles().stream()
                .filter(r -> system.startsWith("You are " + r.name() + ", "))
                .max((a, b) -> Integer.compare(a.name().length(), b.name().length()))
                .orElseThrow(() -> new IllegalArgumentException("no role of team '" + team.name() + "' has this system prompt: "
                        + firstLine(system)));
    }

    /**
     * The internal step of a reflective action (a staged plan, or a reflection), told by the question
     * asked after the action's own prompt; empty for any other call.
     */
    private static Optional<String> reflectiveStep(List<String> userMessages) {
        if (userMessages.size() < 2) {
            return Optional.empty();
        }
        String asked = userMessages.get(1);
        return asked.contains(STAGE_QUESTION) ? Optional.of("_stage")
                : asked.contains(REFLECT_QUESTION) ? Optional.of("_reflect") : Optional.empty();
    }

    /** The action whose instruction's static prefix is the longest that starts the prompt. */
    private static String action(Role role, String prompt) {
        if (prompt.startsWith(THINK_PROMPT)) {
            return Role.THINK;
        }
        if (prompt.startsWith(PLAN_PROMPT)) {
            return Role.PLAN;
        }
        List<Action> modelActions = role.actions().stream().filter(a -> a.command().isEmpty()).toList();
        Action best = null;
        int bestLength = -1;
        for (Action a : modelActions) {
            String text = a.instruction().text();
            int open = text.indexOf("{{");
            String prefix = open < 0 ? text : text.substring(0, open);
            if (prompt.startsWith(prefix) && prefix.length() > bestLength) {
                best = a;
                bestLength = prefix.length();
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no action of role '" + role.name() + "' starts its prompt like this: " + firstLine(prompt));
        }
        return best.name();
    }

    /** The JSON Schema the runtime appends under "## Output format", if the action has one. */
    private static Optional<OutputSchema> schemaIn(String prompt, String where) {
        int at = prompt.lastIndexOf(OUTPUT_FORMAT);
        if (at < 0) {
            return Optional.empty();
        }
        int open = prompt.indexOf("```json\n", at);
        int close = prompt.lastIndexOf("\n```");
        if (open < 0 || close <= open) {
            throw new IllegalArgumentException(where + ": an output format without a ```json block");
        }
        try {
            return Optional.of(OutputSchema.of(Json.MAPPER.readTree(prompt.substring(open + 8, close)), where));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MockResponse completion(int index, AiMessage ai, long promptTokens) {
        ObjectNode root = Json.MAPPER.createObjectNode()
                .put("id", "chatcmpl-" + index)
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L + index)
                .put("model", model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        long completionTokens;
        if (ai.hasToolExecutionRequests()) {
            message.putNull("content");
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolExecutionRequest t : ai.toolExecutionRequests()) {
                ObjectNode c = calls.addObject().put("id", t.id()).put("type", "function");
                c.putObject("function").put("name", t.name()).put("arguments", t.arguments());
            }
            choice.put("finish_reason", "tool_calls");
            completionTokens = PromptText.estimateTokens(ai.toolExecutionRequests().toString());
        } else {
            message.put("content", ai.text());
            choice.put("finish_reason", "stop");
            completionTokens = PromptText.estimateTokens(ai.text());
        }
        root.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return FaultResponses.json(200, root.toString());
    }

    private static long completionTokensOf(MockResponse response) {
        try {
            return Json.MAPPER.readTree(response.getBody().clone().readUtf8()).path("usage").path("completion_tokens").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MockResponse problem(String message) {
        problems.add(message);
        return error(400, "FaultyOpenAiServer: " + message, "invalid_request_error", null);
    }

    private static MockResponse error(int status, String message, String type, String code) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error").put("message", message).put("type", type).putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return FaultResponses.json(status, root.toString());
    }

    private static String firstLine(String s) {
        String line = s.lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }

    /** Configures a server; by default it answers every request well. */
    static final class Builder {
        private final TeamDefinition team;
        private String model = "gpt-4o-mini";
        private String apiKey = "sk-test";
        private double faultRate;
        private long seed;
        private Set<Fault> kinds = EnumSet.allOf(Fault.class);
        private int maxFaultsPerCall = Integer.MAX_VALUE;
        private boolean withinRepairBudget = true;
        private int revokeKeyAfter = Integer.MAX_VALUE;

        private Builder(TeamDefinition team) {
            this.team = team;
        }

        /** The only model this server knows; others get 404 model_not_found. */
        Builder model(String m) { this.model = m; return this; }
        /** The only key this server accepts; others get 401 invalid_api_key. */
        Builder apiKey(String k) { this.apiKey = k; return this; }
        /** The share (0..1) of requests that get a fault. */
        Builder faultRate(double r) { this.faultRate = r; return this; }
        Builder seed(long s) { this.seed = s; return this; }
        /** The faults to draw from, uniformly; schema-breaking outputs only go to calls whose action has a schema. */
        Builder kinds(Set<Fault> k) { this.kinds = EnumSet.copyOf(k); return this; }
        /** At most this many faults for one call (one request body and its retries); then it is answered. */
        Builder maxFaultsPerCall(int n) { this.maxFaultsPerCall = n; return this; }
        /** Whether schema-breaking outputs leave the action its last repair (true) or may exhaust its repairs. */
        Builder withinRepairBudget(boolean b) { this.withinRepairBudget = b; return this; }

        /** After this many good answers the key stops working: every later request gets 401. */
        Builder revokeKeyAfter(int answers) { this.revokeKeyAfter = answers; return this; }

        FaultyOpenAiServer start() throws IOException {
            FaultyOpenAiServer s = new FaultyOpenAiServer(this);
            s.server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return s.dispatch(request);
                }
            });
            s.server.start();
            return s;
        }
    }
}
