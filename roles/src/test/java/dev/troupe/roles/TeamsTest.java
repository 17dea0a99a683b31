package dev.troupe.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelProvider;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.offline.DryRunModel;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Teams chooses a team's model in the CLI's order: given, the file's model:, the environment, the file's offlineModel:. */
class TeamsTest {
    private static final String REPLY = """
            replies:
              - action: Note
                reply: "a scripted note"
            """;

    @TempDir
    Path dir;

    /** A one-role team; {@code extra} adds top-level keys such as {@code model:} and {@code offlineModel:}. */
    private Path team(String extra) {
        TeamFiles.write(dir, "script.yaml", REPLY);
        return TeamFiles.write(dir, "team.yaml", """
                name: notes
                idea: write a note
                %s
                roles:
                  - name: Writer
                    watch: [UserRequirement]
                    actions:
                      - name: Note
                        instruction: Write a note about {{requirement}}
                """.formatted(extra));
    }

    /** Makes a dry-run backend for openai: and ollama: specs and keeps the spec, so no provider module is needed. */
    private static ModelResolver fakeLiveProviders(Map<String, String> env) {
        return ModelResolver.withEnv(env).with(live("openai")).with(live("ollama"));
    }

    private static ModelProvider live(String scheme) {
        return new ModelProvider() {
            @Override
            public String scheme() {
                return scheme;
            }

            @Override
            public ModelBackend create(String model, Map<String, String> env) {
                return new DryRunModel();
            }
        };
    }

    private static ModelChoice choose(Path file, String model, Map<String, String> env) {
        Teams teams = Teams.load(file).environment(env).resolver(fakeLiveProviders(env));
        return (model == null ? teams : teams.model(model)).chooseModel();
    }

    @Test
    void aGivenModelWinsOverTheFileTheEnvironmentAndTheOfflineModel() {
        Path file = team("model: scripted:script.yaml\nofflineModel: scripted:script.yaml");

        ModelChoice choice = choose(file, "dry-run", Map.of("OPENAI_API_KEY", "k"));

        assertThat(choice.origin()).isEqualTo(ModelChoice.Origin.GIVEN);
        assertThat(choice.spec()).isEqualTo("dry-run");
        assertThat(choice.backend().spec()).isEqualTo("dry-run");
    }

    @Test
    void theFilesModelWinsOverTheEnvironmentAndResolvesNextToTheFile() {
        Path file = team("model: scripted:script.yaml\nofflineModel: dry-run");

        ModelChoice choice = choose(file, null, Map.of("OPENAI_API_KEY", "k", "OLLAMA_BASE_URL", "http://o"));

        assertThat(choice.origin()).isEqualTo(ModelChoice.Origin.TEAM);
        assertThat(choice.spec()).isEqualTo("scripted:script.yaml");
        RunResult result = Teams.load(file).environment(Map.of()).build().run("anything");
        assertThat(result.document("Note").orElseThrow().content()).isEqualTo("a scripted note");
    }

    @Test
    void theEnvironmentWinsOverTheOfflineModelOpenAiFirst() {
        Path file = team("offlineModel: scripted:script.yaml");

        assertThat(choose(file, null, Map.of("OPENAI_API_KEY", "k", "OLLAMA_BASE_URL", "http://o")))
                .satisfies(c -> assertThat(c.origin()).isEqualTo(ModelChoice.Origin.ENVIRONMENT))
                .satisfies(c -> assertThat(c.spec()).isEqualTo("openai:" + Teams.DEFAULT_OPENAI_MODEL));
        assertThat(choose(file, null, Map.of("OPENAI_BASE_URL", "http://local/v1", "TROUPE_OPENAI_MODEL", "qwen")).spec())
                .isEqualTo("openai:qwen");
        assertThat(choose(file, null, Map.of("OLLAMA_BASE_URL", "http://o")).spec())
                .isEqualTo("ollama:" + Teams.DEFAULT_OLLAMA_MODEL);
        assertThat(choose(file, null, Map.of("OLLAMA_BASE_URL", "http://o", "TROUPE_OLLAMA_MODEL", "mistral")).spec())
                .isEqualTo("ollama:mistral");
    }

    @Test
    void theOfflineModelAnswersWhenNothingElseIsConfigured() {
        Path file = team("offlineModel: scripted:script.yaml");

        ModelChoice choice = choose(file, null, Map.of("TROUPE_OPENAI_MODEL", "ignored without a key"));

        assertThat(choice.origin()).isEqualTo(ModelChoice.Origin.OFFLINE);
        assertThat(choice.spec()).isEqualTo("scripted:script.yaml");
        RunResult result = Teams.load(file).environment(Map.of()).idea("write a note").build().run("write a note");
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aBuiltInTeamRunsOfflineOnItsSampleIdea(@TempDir Path workspace) {
        Teams company = Teams.builtin("research-report").environment(Map.of());
        String idea = company.definition().idea().orElseThrow();

        RunResult result = company.idea(idea).builder().workspace(workspace).build().run(idea);

        assertThat(company.chooseModel().origin()).isEqualTo(ModelChoice.Origin.OFFLINE);
        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void theOfflineModelRefusesAnotherIdeaInsteadOfFailingMidRun() {
        Path file = team("offlineModel: scripted:script.yaml");

        assertThatThrownBy(() -> Teams.load(file).environment(Map.of()).idea("something else").chooseModel())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("only answers its sample idea (\"write a note\")");
    }

    @Test
    void aBlankModelSpecIsRefusedWhereItIsGiven() {
        Path file = team("offlineModel: scripted:script.yaml");

        assertThatThrownBy(() -> Teams.load(file).model(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a model spec is required");
    }

    @Test
    void aTeamWithoutAnyModelSaysWhatToConfigure() {
        Path file = team("");

        assertThatThrownBy(() -> Teams.load(file).environment(Map.of()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Team 'notes' has no model")
                .hasMessageContaining("Teams.model(SPEC)")
                .hasMessageContaining("OPENAI_API_KEY");
    }
}
