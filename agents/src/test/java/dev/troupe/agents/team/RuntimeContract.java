package dev.troupe.agents.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.tool.ActionTool;
import dev.troupe.agents.tool.ToolResult;
import dev.troupe.agents.journal.JdbcJournal;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.error.ModelException;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.PriceTable;
import dev.troupe.agents.model.RetryPolicy;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.reflection.ReflectionSettings;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.memory.journal.JournaledRun;
import dev.troupe.memory.reflection.TaskKey;
import dev.troupe.memory.reflection.store.JdbcReflectionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every transport of a run promises, whatever carries its messages: the same team on the same
 * model ends with the same documents, status, rounds, error texts, usage and cost per role and
 * action (under the team's own price table and interceptors), journal entries and lessons, and a
 * journaled run whose driver stopped resumes to the same end. Each transport extends this once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public abstract class RuntimeContract {
    /** The model name the priced backend reports; the price table below knows it. */
    private static final String MODEL = "contract-model";
    /** $1000 per million input tokens, $2000 per million output tokens: Outline costs $0.02, Draft $0.036. */
    private static final PriceTable PRICES = PriceTable.empty().with(MODEL, 1000.0, 2000.0);

    @TempDir
    protected Path dir;

    /** Runs {@code team} on {@code requirement} to its end on the transport under test. */
    protected abstract RunResult run(Team team, String requirement);

    /**
     * Starts a run of {@code team} (which has a journal) on {@code requirement} and stops what drives
     * it part-way, as a killed process would; returns the run's id. {@code journal} is the journal
     * the team was given, for transports that wrap it to simulate the stop.
     */
    protected abstract String startAndStop(Team.Builder team, JdbcJournal journal, String requirement);

    /** Resumes run {@code runId} of {@code team} (with the journal it was written to) and waits for its end. */
    protected abstract RunResult resume(Team team, String runId);

    /** A live-looking backend that answers each action with a fixed text and token counts, so the price table applies. */
    private static ModelBackend pricedModel() {
        return Fakes.backend("contract:" + MODEL, q -> switch (q.action()) {
            case "Outline" -> reply("1. Why 2. How", 10, 5);
            case "Draft" -> reply("Virtual threads make blocking cheap.", 20, 8);
            default -> throw new IllegalArgumentException("no answer for action " + q.action());
        });
    }

    private static ChatResponse reply(String text, int in, int out) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).tokenUsage(new TokenUsage(in, out)).modelName(MODEL).build();
    }

    /** A planner that outlines the requirement and a writer that drafts from the outline. */
    protected static Team.Builder blog() {
        Role planner = Role.builder("Planner").watch(Message.USER_REQUIREMENT)
                .actions(Action.text("Outline", "Outline {{requirement}}")).build();
        Role writer = Role.builder("Writer").watch("Outline").actions(Action.text("Draft", "Write from {{Outline}}")).build();
        return Team.builder("blog").role(planner).role(writer).model(pricedModel()).prices(PRICES);
    }

    @Test
    void aChainEndsWithItsDocumentsInRoundsOneAfterAnother() {
        RunResult r = run(blog().build(), "Virtual threads");

        assertThat(r.status()).as("error: %s", r.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.error()).isEmpty();
        assertThat(r.messages()).extracting(Message::causeBy).containsExactly(Message.USER_REQUIREMENT, "Outline", "Draft");
        assertThat(r.messages()).extracting(Message::round).containsExactly(0, 1, 2);
        assertThat(r.messages()).extracting(Message::sender).containsExactly("user", "Planner", "Writer");
        assertThat(r.document("Outline").orElseThrow().content()).isEqualTo("1. Why 2. How");
        assertThat(r.document("Draft").orElseThrow().content()).isEqualTo("Virtual threads make blocking cheap.");
    }

    @Test
    void usageAndCostPerRoleAndActionFollowTheTeamsPriceTableAndItsInterceptorsSeeEveryCall() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ModelInterceptor watcher = chain -> {
            seen.add(chain.request().role() + "/" + chain.request().action());
            return chain.proceed(chain.request());
        };

        RunResult r = run(blog().interceptor(watcher).build(), "Virtual threads");

        assertThat(r.status()).as("error: %s", r.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.usage()).containsOnlyKeys("Planner", "Writer");
        Usage outline = r.usage().get("Planner").get("Outline");
        Usage draft = r.usage().get("Writer").get("Draft");
        assertThat(List.of(outline.calls(), outline.inputTokens(), outline.outputTokens())).containsExactly(1L, 10L, 5L);
        assertThat(List.of(draft.calls(), draft.inputTokens(), draft.outputTokens())).containsExactly(1L, 20L, 8L);
        assertThat(outline.costUsd()).as("priced by the team's table").isCloseTo(0.02, Offset.offset(1e-9));
        assertThat(draft.costUsd()).isCloseTo(0.036, Offset.offset(1e-9));
        assertThat(r.totalUsage().costUsd()).isCloseTo(0.056, Offset.offset(1e-9));
        assertThat(r.totalUsage().calls()).isEqualTo(2);
        assertThat(seen).as("the team's interceptor sees each call").containsExactly("Planner/Outline", "Writer/Draft");
    }

    @Test
    void aRetriableFailureIsRetriedUnderTheTeamsRetryPolicyAndSleeper() {
        AtomicInteger outlineCalls = new AtomicInteger();
        ModelBackend priced = pricedModel();
        ModelBackend overloadedOnce = Fakes.backend("contract:" + MODEL, q -> {
            if (q.action().equals("Outline") && outlineCalls.incrementAndGet() == 1) {
                throw new ModelException("overloaded", true, 503, null, null);
            }
            return priced.chat(q);
        });
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        Team team = blog().model(overloadedOnce).retryPolicy(RetryPolicy.defaults().withMaxAttempts(2)
                .withDelays(Duration.ofMinutes(5), Duration.ofMinutes(5))).sleeper(sleeps::add).build();

        RunResult r = run(team, "Virtual threads");

        assertThat(r.status()).as("error: %s", r.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(outlineCalls).hasValue(2);
        assertThat(sleeps).as("the team's sleeper waited once, as its policy says").singleElement()
                .satisfies(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMinutes(2)));
    }

    @Test
    void aSpentBudgetStopsTheNextCallWithTheSameMessage() {
        RunResult r = run(blog().budget(Budget.usd(0.01)).build(), "Virtual threads");   // the outline alone costs $0.02

        assertThat(r.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(r.error()).get().asString()
                .startsWith("Budget exhausted before role 'Writer', action 'Draft'")
                .contains(": spent $0.020000 of a $0.010000 budget. Raise the budget (--budget-usd, budget: in YAML) or use a cheaper model.");
        assertThat(r.messages()).extracting(Message::causeBy).containsExactly(Message.USER_REQUIREMENT, "Outline");
        assertThat(r.totalUsage().costUsd()).isCloseTo(0.02, Offset.offset(1e-9));
    }

    @Test
    void aSpentTokenBudgetStopsTheNextCallWithTheSameMessage() {
        RunResult r = run(blog().budget(Budget.tokens(10)).build(), "Virtual threads");   // the outline alone uses 15 tokens

        assertThat(r.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(r.error()).get().asString()
                .startsWith("Budget exhausted before role 'Writer', action 'Draft'")
                .contains(": used 15 of a 10 token budget. Raise the budget (--budget-usd, budget: in YAML) or use a cheaper model.");
        assertThat(r.messages()).extracting(Message::causeBy).containsExactly(Message.USER_REQUIREMENT, "Outline");
    }

    @Test
    void aStepPastTheRoundLimitEndsTheRunWithTheSameMessage() {
        RunResult r = run(blog().maxRounds(1).build(), "Virtual threads");

        assertThat(r.status()).isEqualTo(RunStatus.ROUND_LIMIT);
        assertThat(r.error()).contains("role 'Writer' would start round 2, past the limit of 1; raise maxRounds if the SOP needs more");
        assertThat(r.messages()).extracting(Message::causeBy).containsExactly(Message.USER_REQUIREMENT, "Outline");
    }

    @Test
    void aFailedCallEndsTheRunFailedNamingItsAction() {
        Team team = blog().model(Fakes.script("replies:\n  - action: Outline\n    reply: \"1. Why\"\n")).build();   // nothing answers Draft

        RunResult r = run(team, "Virtual threads");

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.error()).get().asString().contains("Draft");
        assertThat(r.messages()).extracting(Message::causeBy).containsExactly(Message.USER_REQUIREMENT, "Outline");
    }

    @Test
    void aJournaledRunHoldsEveryMessageEveryCallWithItsUsageAndItsEnd() {
        try (JdbcJournal journal = JdbcJournal.inWorkspace(dir)) {
            RunResult r = run(blog().journal(journal).build(), "Virtual threads");

            assertThat(r.status()).as("error: %s", r.error()).isEqualTo(RunStatus.SUCCEEDED);
            JournaledRun journaled = journal.store().load(r.runId()).orElseThrow();
            assertThat(journaled.summary().status()).isEqualTo("SUCCEEDED");
            assertThat(journaled.summary().attempts()).isEqualTo(1);
            assertThat(journaled.messages()).extracting(j -> j.entry().messageId())
                    .containsExactlyElementsOf(r.messages().stream().map(Message::id).toList());
            assertThat(journaled.actions()).extracting(j -> j.entry().role() + "/" + j.entry().action() + "/" + j.entry().modelCalls())
                    .containsExactly("Planner/Outline/1", "Writer/Draft/1");
            assertThat(journaled.actions()).extracting(j -> costOf(j.entry().usage()))
                    .satisfiesExactly(c -> assertThat(c).isCloseTo(0.02, Offset.offset(1e-9)),
                            c -> assertThat(c).isCloseTo(0.036, Offset.offset(1e-9)));
        }
    }

    private static double costOf(String usageJson) {
        try {
            return Json.MAPPER.readTree(usageJson).path("costUsd").asDouble();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aJournaledRunWhoseDriverStoppedResumesToTheEndOfAnUninterruptedRun() {
        try (JdbcJournal journal = JdbcJournal.inWorkspace(dir)) {
            String runId = startAndStop(blog().journal(journal), journal, "Virtual threads");

            RunResult r = resume(blog().journal(journal).build(), runId);

            assertThat(r.status()).as("error: %s", r.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.runId()).isEqualTo(runId);
            assertThat(r.messages()).extracting(Message::causeBy).containsExactly(Message.USER_REQUIREMENT, "Outline", "Draft");
            assertThat(r.document("Draft").orElseThrow().content()).isEqualTo("Virtual threads make blocking cheap.");
            JournaledRun journaled = journal.store().load(runId).orElseThrow();
            assertThat(journaled.summary().attempts()).isEqualTo(2);
            assertThat(journaled.summary().status()).isEqualTo("SUCCEEDED");
            assertThat(journaled.messages()).extracting(j -> j.entry().causeBy())
                    .containsExactly(Message.USER_REQUIREMENT, "Outline", "Draft");
            assertThat(journaled.actions()).extracting(j -> j.entry().role() + "/" + j.entry().action())
                    .containsExactly("Planner/Outline", "Writer/Draft");
        }
    }

    @Test
    void aReflectiveRoleLearnsFromItsFailedTrialAndKeepsTheLessonInTheTeamsStore() {
        List<String> calls = new CopyOnWriteArrayList<>();
        ActionTool findCity = Fakes.tool("find_city", "Find a city's id by name", true, args -> {
            calls.add("find_city");
            return ToolResult.ok("{\"city_id\": \"FR-75\"}");
        });
        ActionTool weather = Fakes.tool("get_weather", "Weather by city id", false, args -> {
            calls.add("get_weather");
            String id = Json.MAPPER.readTree(args).path("city_id").asText();
            return id.equals("FR-75") ? ToolResult.ok("{\"temp_c\": 18, \"sky\": \"light rain\"}")
                    : new ToolResult("Error: unknown city_id '" + id + "'", Optional.of(ToolResult.ErrorKind.CLIENT_ERROR));
        });
        Role agent = Role.builder("Agent").watch(Message.USER_REQUIREMENT)
                .actions(Action.builder("Forecast").instruction("What is the weather in {{requirement}}?")
                        .tools(List.of(findCity, weather)).reflection(ReflectionSettings.defaults().withMaxTrials(3)).build())
                .build();
        try (JdbcReflectionStore store = JdbcReflectionStore.inWorkspace(dir)) {
            Team team = Team.builder("weather").role(agent).model(Fakes.script(Fakes.REFLECTIVE_WEATHER)).reflectionStore(store).build();

            RunResult r = run(team, "Paris");

            assertThat(r.status()).as("error: %s", r.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.document("Forecast").orElseThrow().content()).isEqualTo("Paris: 18 C, light rain");
            assertThat(calls).containsExactly("find_city", "get_weather", "get_weather");
            assertThat(store.load(TaskKey.derive("weather", "Agent", "Forecast", "Paris")).orElseThrow().lessons())
                    .singleElement().satisfies(l -> assertThat(l.stepIndex()).isEqualTo(1));
        }
    }
}
