package dev.troupe.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.command.CommandSpec;
import dev.troupe.agents.command.Sandbox;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.model.offline.DryRunModel;
import dev.troupe.agents.planner.PlannerKind;
import dev.troupe.agents.reflection.ReflectionSettings;
import dev.troupe.agents.role.ReactMode;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Team files that are right load into the roles, actions, limits and models they describe, and run. */
class TeamLoaderTest {
    private static final ModelResolver NO_ENV = ModelResolver.withEnv(Map.of());
    private static final Comparator<JsonNode> NUMERICALLY = (a, b) -> a.equals(b) ? 0
            : a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

    @TempDir
    Path dir;

    private static Role role(TeamDefinition def, String name) {
        return def.roles().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no role " + name + " in " + def.roles()));
    }

    private static Action action(TeamDefinition def, String roleName, String actionName) {
        return role(def, roleName).action(actionName)
                .orElseThrow(() -> new AssertionError("no action " + actionName + " in role " + roleName));
    }

    @Test
    void minimalTeamLoadsAndRunsOnTheDryRunModel() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: minimal
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - name: Greet
                        instruction: Say hello about {{requirement}}
                """);

        TeamDefinition def = TeamLoader.load(file);
        RunResult result = def.toBuilder(new DryRunModel(), NO_ENV).build().run("x");

        assertThat(def.name()).isEqualTo("minimal");
        assertThat(def.description()).isEmpty();
        assertThat(def.budget()).isEmpty();
        assertThat(def.maxRounds()).isEmpty();
        assertThat(def.roles()).extracting(Role::name).containsExactly("Alice");
        assertThat(def.roleLocations()).containsEntry("Alice", file + ":3:5");
        assertThat(role(def, "Alice").mode()).isEqualTo(ReactMode.BY_ORDER);
        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.document("Greet")).get().extracting(Message::sender).isEqualTo("Alice");
    }

    @Test
    void loadingByPathStringFindsTheFile() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: by-path
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - {name: Greet, instruction: hi}
                """);

        assertThat(TeamLoader.load(file.toString()).name()).isEqualTo("by-path");
    }

    @Test
    void teamSettingsAreRead() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: settings
                description: Everything at the top level
                model: dry-run
                offlineModel: scripted:script.yaml
                idea: An idea
                budget: {usd: 1.5, tokens: 1_000}
                limits: {maxRounds: 7, timeout: 90}
                roles:
                  - name: Alice
                    profile: Product Manager
                    goal: A goal
                    constraints: Some constraints
                    watch: UserRequirement
                    mode: plan-and-act
                    maxReactLoop: 4
                    maxReplans: 1
                    waitForAll: yes
                    model: dry-run
                    actions:
                      - name: Greet
                        instruction: hi
                        sendTo: Alice
                        on: [UserRequirement]
                        maxRepairs: 0
                        maxToolCalls: 3
                """);

        TeamDefinition def = TeamLoader.load(file);

        assertThat(def.description()).isEqualTo("Everything at the top level");
        assertThat(def.model()).contains("dry-run");
        assertThat(def.offlineModel()).contains("scripted:script.yaml");
        assertThat(def.idea()).contains("An idea");
        assertThat(def.budget()).contains(Budget.unlimited().withUsd(1.5).withTokens(1000));
        assertThat(def.maxRounds()).contains(7);
        assertThat(def.timeout()).contains(Duration.ofSeconds(90));
        Role alice = role(def, "Alice");
        assertThat(alice.profile()).isEqualTo("Product Manager");
        assertThat(alice.goal()).isEqualTo("A goal");
        assertThat(alice.constraints()).isEqualTo("Some constraints");
        assertThat(alice.watch()).containsExactly("UserRequirement");
        assertThat(alice.mode()).isEqualTo(ReactMode.PLAN_AND_ACT);
        assertThat(alice.maxReactLoop()).isEqualTo(4);
        assertThat(alice.maxReplans()).isEqualTo(1);
        assertThat(alice.waitForAll()).isTrue();
        assertThat(alice.model()).contains("dry-run");
        Action greet = action(def, "Alice", "Greet");
        assertThat(greet.sendTo()).containsExactly("Alice");
        assertThat(greet.on()).containsExactly("UserRequirement");
        assertThat(greet.maxRepairs()).isZero();
        assertThat(greet.maxToolCalls()).isEqualTo(3);
    }

    @Test
    void inlineSchemaAndSchemaFileGiveTheSameSchema() throws Exception {
        String schema = """
                {"type": "object", "required": ["answer", "confidence"],
                 "properties": {"answer": {"type": "string", "minLength": 1},
                                "confidence": {"type": "number", "maximum": 1.0},
                                "final": {"type": "boolean"}}}
                """;
        TeamFiles.write(dir, "schemas/answer.schema.json", schema);
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: schemas
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - name: FromFile
                        instruction: answer {{requirement}}
                        output: {schema: schemas/answer.schema.json}
                  - name: Bob
                    watch: [FromFile]
                    actions:
                      - name: Inline
                        instruction: answer again
                        output:
                          schema:
                            type: object
                            required: [answer, confidence]
                            properties:
                              answer: {type: string, minLength: 1}
                              confidence: {type: number, maximum: 1.0}
                              final: {type: boolean}
                """);

        TeamDefinition def = TeamLoader.load(file);
        RunResult result = def.toBuilder(new DryRunModel(), NO_ENV).build().run("x");

        JsonNode fromFile = action(def, "Alice", "FromFile").schema().orElseThrow().node();
        JsonNode inline = action(def, "Bob", "Inline").schema().orElseThrow().node();
        assertThat(fromFile).isEqualTo(Json.MAPPER.readTree(schema));
        // YAML numbers become big-number nodes, JSON ones int/double nodes: compare numbers by value
        assertThat(inline.equals(NUMERICALLY, fromFile)).as("%s equals %s", inline, fromFile).isTrue();
        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.payload("FromFile")).get().satisfies(p -> assertThat(p.has("answer")).isTrue());
        assertThat(result.payload("Inline")).get().satisfies(p -> assertThat(p.has("confidence")).isTrue());
    }

    @Test
    void outputTextMeansNoSchema() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: text
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - name: Greet
                        instruction: hi
                        output: text
                """);

        TeamDefinition def = TeamLoader.load(file);
        RunResult result = def.toBuilder(new DryRunModel(), NO_ENV).build().run("x");

        assertThat(action(def, "Alice", "Greet").schema()).isEmpty();
        assertThat(result.document("Greet")).get().satisfies(m -> assertThat(m.payload()).isEmpty());
    }

    @Test
    void builtinActionKeepsItsInstructionAndSchemaAndTakesTheOverriddenSendTo() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: prd-only
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - use: builtin:WritePRD
                        sendTo: [Bob]
                  - name: Bob
                    watch: [WritePRD]
                    actions:
                      - name: Review
                        instruction: "Review {{WritePRD.title}}"
                """);

        TeamDefinition def = TeamLoader.load(file);
        RunResult result = def.toBuilder(new DryRunModel(), NO_ENV).build().run("a snake game");

        Action writePrd = action(def, "Alice", "WritePRD");
        assertThat(writePrd.sendTo()).containsExactly("Bob");
        assertThat(writePrd.instruction().text()).contains("Write a product requirement document", "{{requirement}}");
        assertThat(writePrd.schema()).get().satisfies(s -> assertThat(s.node().path("required").toString()).contains("acceptance"));
        assertThat(TeamLoader.builtinActionNames()).contains("WritePRD", "WriteCode", "FixCode", "WriteReport");
        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.document("WritePRD")).get().satisfies(m -> assertThat(m.sendTo()).containsExactly("Bob"));
        assertThat(result.document("Review")).isPresent();
    }

    @Test
    void builtinActionCanBeRenamed() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: renamed
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - use: builtin:WritePRD
                        name: DraftPRD
                """);

        Action draft = action(TeamLoader.load(file), "Alice", "DraftPRD");

        assertThat(draft.instruction().text()).contains("product requirement document");
        assertThat(draft.schema()).isPresent();
    }

    /** {@code api.yaml}: a one-endpoint OpenAPI spec for the teams' {@code tools: {specs: [api.yaml]}}. */
    private void writeWeatherApi() {
        TeamFiles.write(dir, "api.yaml", """
                openapi: 3.0.3
                info: {title: Weather, version: "1"}
                servers: [{url: "https://api.example-weather.test"}]
                paths:
                  /weather:
                    get:
                      operationId: getWeather
                      responses: {"200": {description: ok}}
                """);
    }

    @Test
    void thePlannerIsReactDfsdtOrStagedAndAnyOtherNameIsRefusedWithTheThree() {
        writeWeatherApi();
        String team = """
                name: planners
                roles:
                  - name: Scout
                    watch: [UserRequirement]
                    planner: %s
                    tools: {specs: [api.yaml], virtual: true}
                    actions:
                      - name: Forecast
                        instruction: "{{requirement}}"
                """;
        assertThat(action(TeamLoader.load(TeamFiles.write(dir, "staged.yaml", team.formatted("staged"))), "Scout", "Forecast")
                .planner()).isEqualTo(PlannerKind.STAGED);
        assertThat(action(TeamLoader.load(TeamFiles.write(dir, "react.yaml", team.formatted("React"))), "Scout", "Forecast")
                .planner()).isEqualTo(PlannerKind.REACT);
        Path tree = TeamFiles.write(dir, "tree.yaml", team.formatted("tree"));
        assertThatThrownBy(() -> TeamLoader.load(tree)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("tree.yaml:5:14:").hasMessageContaining("unknown planner 'tree'; use react, dfsdt or staged");
    }

    @Test
    void aRolesReflectionReachesItsDfsdtToolActionsAndItsFileWritingActionsOnly() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: scouts
                roles:
                  - name: Scout
                    watch: [UserRequirement]
                    planner: dfsdt
                    reflection: {maxTrials: 4, key: scouts/weather}
                    tools: {specs: [api.yaml], virtual: true}
                    actions:
                      - name: Forecast
                        instruction: "{{requirement}}"
                  - name: Coder
                    watch: [Forecast]
                    reflection:
                      judge: tests
                      tests: {command: make test}
                    actions:
                      - use: builtin:WriteCode
                        on: [Forecast]
                        instruction: "Write code for {{Forecast}}"
                      - name: Explain
                        instruction: "Explain {{Forecast}}"
                """);
        writeWeatherApi();
        TeamDefinition def = TeamLoader.load(file);

        Action forecast = action(def, "Scout", "Forecast");
        assertThat(forecast.planner()).isEqualTo(PlannerKind.DFSDT);
        assertThat(forecast.reflection()).get().satisfies(r -> {
            assertThat(r.maxTrials()).isEqualTo(4);
            assertThat(r.key()).contains("scouts/weather");
        });
        assertThat(action(def, "Coder", "WriteCode").reflection()).get()
                .satisfies(r -> assertThat(r.tests()).contains(CommandSpec.of("make test")));
        assertThat(action(def, "Coder", "Explain").reflection()).as("no tools and no files: nothing to retry in steps").isEmpty();
    }

    @Test
    void extendingABuiltinTeamReplacesARoleByNameAndAddsAnother() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                extends: builtin:software-company
                name: my-company
                budget: {usd: 0.5}
                roles:
                  - name: Bob
                    profile: Principal Architect
                    goal: Design for Python 3.12
                    watch: [WritePRD]
                    actions:
                      - use: builtin:WriteDesign
                  - name: Reviewer
                    profile: Code Reviewer
                    watch: [WriteCode]
                    actions:
                      - name: ReviewCode
                        instruction: "Review this code: {{WriteCode}}"
                """);

        TeamDefinition def = TeamLoader.load(file);
        TeamDefinition base = TeamLoader.load("builtin:software-company");

        assertThat(def.name()).isEqualTo("my-company");
        assertThat(def.description()).isEqualTo(base.description());
        assertThat(def.idea()).isEqualTo(base.idea());
        assertThat(def.offlineModel()).isEqualTo(base.offlineModel());
        assertThat(def.budget()).contains(Budget.unlimited().withUsd(0.5));
        assertThat(def.maxRounds()).isEqualTo(base.maxRounds());
        assertThat(def.timeout()).isEqualTo(base.timeout());
        assertThat(def.roles()).extracting(Role::name).containsExactly("Alice", "Bob", "Eve", "Alex", "Edward", "Reviewer");
        assertThat(role(def, "Bob").profile()).isEqualTo("Principal Architect");
        assertThat(role(def, "Bob").goal()).isEqualTo("Design for Python 3.12");
        assertThat(role(def, "Alex").profile()).isEqualTo(role(base, "Alex").profile());
        assertThat(role(def, "Alex").actions()).extracting(Action::name).containsExactly("WriteCode");
        assertThat(action(def, "Reviewer", "ReviewCode").instruction().text()).contains("{{WriteCode}}");
        assertThat(def.roleLocations())
                .containsEntry("Bob", TeamFiles.at(file, read(file), "name: Bob"))
                .containsEntry("Reviewer", TeamFiles.at(file, read(file), "name: Reviewer"))
                .containsEntry("Alice", base.roleLocations().get("Alice"));
        assertThat(def.roleLocations().get("Alice")).startsWith("builtin:software-company/team.yaml:");
        Team team = def.toBuilder(new DryRunModel(), NO_ENV).build();
        assertThat(team.roles()).hasSize(6);
    }

    @Test
    void everyBuiltinTeamLoadsAndValidates() {
        assertThat(TeamLoader.builtinNames()).containsExactly("demo", "software-company", "research-report", "reflection-demo",
                "api-agent");
        for (String name : TeamLoader.builtinNames()) {
            TeamDefinition def = TeamLoader.load(name);
            assertThat(TeamLoader.load(TeamLoader.BUILTIN + name).roles()).hasSameSizeAs(def.roles());
            assertThat(def.name()).isEqualTo(name);
            assertThat(def.description()).isNotBlank();
            assertThat(def.idea()).as("%s has a sample idea", name).isPresent();
            assertThat(def.offlineModel()).as("%s has an offline model", name).hasValueSatisfying(m -> assertThat(m).startsWith("scripted:"));
            assertThat(def.roles()).isNotEmpty();
            assertThat(def.roleLocations()).containsOnlyKeys(def.roles().stream().map(Role::name).toList());
            Team team = def.toBuilder(new DryRunModel(), NO_ENV).build();
            assertThat(team.roles()).hasSameSizeAs(def.roles());
        }
    }

    @Test
    void apiAgentRetrievesFromTheBundledG1CatalogAndSearchesWithDfsdtOnTheVirtualServer() throws IOException {
        TeamDefinition def = TeamLoader.load("api-agent");

        Action answer = action(def, "Agent", "Answer");
        assertThat(answer.planner()).isEqualTo(dev.troupe.agents.planner.PlannerKind.DFSDT);
        assertThat(answer.search()).isEqualTo(new dev.troupe.agents.planner.SearchSettings(2, 6, 20));
        assertThat(def.tools()).singleElement().satisfies(tools -> {
            assertThat(answer.toolProvider()).containsSame(tools);
            assertThat(tools.retrieves()).isTrue();
            // every distinct API of StableToolBench's G1_instruction.json, read from the compressed resource
            assertThat(tools.functions().size()).isEqualTo(810);
        });
        // The offline script and the fixtures name functions of that catalog, so neither can drift from it.
        var functions = def.tools().get(0).functions();
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        JsonNode script = yaml.readTree(Source.resource("/dev/troupe/roles/builtin/api-agent/script.yaml", "script").read());
        java.util.List<String> called = new java.util.ArrayList<>();
        script.path("replies").forEach(r -> r.path("toolCalls").forEach(c -> called.add(c.path("name").asText())));
        assertThat(called).contains("search_trips_for_flixbus", "stations_for_flixbus", "Finish")
                .allSatisfy(n -> assertThat(n.equals("Finish") || functions.byName(n).isPresent()).as(n).isTrue());
        JsonNode fixtures = yaml.readTree(Source.resource("/dev/troupe/roles/builtin/api-agent/fixtures.yaml", "fixtures").read());
        fixtures.forEach(f -> assertThat(functions.byName(f.path("function").asText())).as(f.path("function").asText()).isPresent());
        assertThat(def.toBuilder(new DryRunModel(), NO_ENV).build().roles()).hasSize(1);
    }

    @Test
    void demoAndSoftwareCompanyLoadByTheirNames() {
        TeamDefinition demo = TeamLoader.load("demo");
        TeamDefinition company = TeamLoader.load("builtin:software-company");

        assertThat(demo.roles()).extracting(Role::name).containsExactly("Alice", "Bob", "Eve", "Dan");
        assertThat(role(demo, "Dan").waitForAll()).isTrue();
        assertThat(action(demo, "Bob", "SketchDesign").schema()).get()
                .satisfies(s -> assertThat(s.node().path("required").toString()).contains("components"));
        assertThat(company.roles()).extracting(Role::name).containsExactly("Alice", "Bob", "Eve", "Alex", "Edward");
        assertThat(company.budget()).contains(Budget.unlimited().withUsd(3.0).withTokens(2_000_000));
        assertThat(company.maxRounds()).contains(30);
        assertThat(company.timeout()).contains(Duration.ofMinutes(30));
        assertThat(action(company, "Alex", "WriteCode").writesFiles()).isTrue();
        assertThat(action(company, "Alex", "WriteCode").on()).containsExactly("WriteTests");
        assertThat(action(company, "Alex", "WriteCode").reflection()).get().satisfies(r -> {
            assertThat(r.judge()).isEqualTo(ReflectionSettings.Judge.TESTS);
            assertThat(r.maxTrials()).isEqualTo(3);
            assertThat(r.key()).as("derived from team, role, action and the idea").isEmpty();
            assertThat(r.tests()).contains(CommandSpec.of("python3 -m unittest discover -s tests -t . -v").withMaxOutputChars(6000));
        });
        assertThat(action(company, "Edward", "WriteTests").on()).containsExactly("WriteTasks");
        assertThat(action(company, "Edward", "RunTests").command()).contains(new CommandSpec(
                "python3 -m unittest discover -s tests -t . -v", Duration.ofMinutes(2), 6000, 1, ImmutableList.of()));
    }

    @Test
    void roleModelScriptIsResolvedNextToTheTeamFile() {
        Path teamDir = dir.resolve("teams/scripted");
        TeamFiles.write(teamDir, "script.yaml", """
                replies:
                  - role: Alice
                    action: Greet
                    reply: Hello from the script next to the team file.
                """);
        Path file = TeamFiles.write(teamDir, "team.yaml", """
                name: scripted
                roles:
                  - name: Alice
                    model: scripted:script.yaml
                    watch: [UserRequirement]
                    actions:
                      - {name: Greet, instruction: "Greet {{requirement}}"}
                  - name: Bob
                    watch: [Greet]
                    actions:
                      - {name: Answer, instruction: "Answer {{Greet}}"}
                """);

        TeamDefinition def = TeamLoader.load(file);
        RunResult result = def.toBuilder(new DryRunModel(), NO_ENV).build().run("x");

        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        Message greet = result.document("Greet").orElseThrow();
        assertThat(greet.content()).contains("Hello from the script next to the team file.");
        assertThat(greet.model()).contains("scripted:script.yaml");
        assertThat(result.document("Answer").orElseThrow().model()).contains(DryRunModel.SPEC);
    }

    @Test
    void roleModelSpecsAreOnlyResolvedWhenTheTeamIsBuilt() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: later
                roles:
                  - name: Alice
                    model: scripted:not-written-yet.yaml
                    watch: [UserRequirement]
                    actions:
                      - {name: Greet, instruction: hi}
                  - name: Bob
                    model: someprovider:some-model
                    watch: [Greet]
                    actions:
                      - {name: Answer, instruction: hi}
                """);

        TeamDefinition def = TeamLoader.load(file);

        assertThat(role(def, "Alice").model()).contains("scripted:not-written-yet.yaml");
        assertThat(role(def, "Bob").model()).contains("someprovider:some-model");
        assertThatThrownBy(() -> def.toBuilder(new DryRunModel(), NO_ENV))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(dir.resolve("not-written-yet.yaml").toString());
    }

    @Test
    void inlineSchemaKeepsYamlBooleansAndNumbers() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: yaml-scalars
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - name: Tags
                        instruction: tags
                        output:
                          schema:
                            type: object
                            additionalProperties: off
                            properties:
                              tags: {type: array, uniqueItems: on, maxItems: 1_000}
                              flags: {type: array, uniqueItems: yes, items: {type: boolean, const: true}}
                              score: {type: number, maximum: 2.5}
                """);

        JsonNode schema = action(TeamLoader.load(file), "Alice", "Tags").schema().orElseThrow().node();

        assertThat(schema.path("additionalProperties").isBoolean()).isTrue();
        assertThat(schema.path("additionalProperties").booleanValue()).isFalse();
        assertThat(schema.at("/properties/tags/uniqueItems").booleanValue()).as("'on' is true in YAML").isTrue();
        assertThat(schema.at("/properties/flags/uniqueItems").booleanValue()).as("'yes' is true in YAML").isTrue();
        assertThat(schema.at("/properties/flags/items/const").booleanValue()).isTrue();
        assertThat(schema.at("/properties/tags/maxItems").intValue()).isEqualTo(1000);
        assertThat(schema.at("/properties/score/maximum").doubleValue()).isEqualTo(2.5);
    }

    @Test
    void runCommandFieldsAreParsedIntoACommandSpec() {
        Path file = TeamFiles.write(dir, "team.yaml", """
                name: commands
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - {name: Draft, instruction: "Draft {{requirement}}"}
                  - name: Bob
                    watch: [Draft]
                    actions:
                      - name: Check
                        run:
                          command: echo checked > check.txt && cat check.txt
                          timeout: PT45S
                          maxOutput: 500
                          maxFailures: 2
                          onFailure: {sendTo: [Alice]}
                      - name: Defaults
                        run: {command: "true"}
                      - name: SecondsTimeout
                        run: {command: "true", timeout: 1.5}
                """);

        TeamDefinition def = TeamLoader.load(file);
        RunResult result = def.toBuilder(new DryRunModel(), NO_ENV).workspace(dir.resolve("ws")).build().run("x");

        assertThat(action(def, "Bob", "Check").command()).contains(new CommandSpec(
                "echo checked > check.txt && cat check.txt", Duration.ofSeconds(45), 500, 2, ImmutableList.of("Alice")));
        assertThat(action(def, "Bob", "Check").instruction().text()).contains("echo checked");
        assertThat(action(def, "Bob", "Defaults").command()).contains(CommandSpec.of("true"));
        assertThat(action(def, "Bob", "SecondsTimeout").command()).get()
                .extracting(CommandSpec::timeout).isEqualTo(Duration.ofMillis(1500));
        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.payload("Check")).get().satisfies(p -> {
            assertThat(p.path("passed").asBoolean()).isTrue();
            assertThat(p.path("output").asText()).contains("checked");
        });
        assertThat(dir.resolve("ws/check.txt")).hasContent("checked");
    }

    @Test
    void commandsAreSandboxedUnlessTheTeamSaysNoneAndAskForTheNetworkOneByOne() {
        String roles = """
                roles:
                  - name: Bob
                    watch: [UserRequirement]
                    actions:
                      - {name: Fetch, run: {command: "curl -s example.org", network: true, maxFileMb: 64}}
                      - {name: Check, run: {command: "true"}}
                """;
        TeamDefinition confined = TeamLoader.load(TeamFiles.write(dir, "confined.yaml", "name: confined\n" + roles));
        assertThat(action(confined, "Bob", "Fetch").command().orElseThrow()).satisfies(c -> {
            assertThat(c.network()).isTrue();
            assertThat(c.sandbox()).isEqualTo(Sandbox.BUBBLEWRAP);
            assertThat(c.maxFileMb()).isEqualTo(64);
        });
        assertThat(action(confined, "Bob", "Check").command().orElseThrow().network()).isFalse();
        assertThat(action(confined, "Bob", "Check").command().orElseThrow().maxFileMb()).isEqualTo(CommandSpec.DEFAULT_MAX_FILE_MB);
        assertThat(confined.unsandboxed()).isFalse();

        TeamDefinition open = TeamLoader.load(TeamFiles.write(dir, "open.yaml", "name: open\nsandbox: none\n" + roles));
        assertThat(action(open, "Bob", "Check").command().orElseThrow().sandbox()).isEqualTo(Sandbox.NONE);
        assertThat(open.unsandboxed()).isTrue();

        assertThatThrownBy(() -> TeamLoader.load(TeamFiles.write(dir, "bad.yaml", "name: bad\nsandbox: docker\n" + roles)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("bad.yaml:2:")
                .hasMessageContaining("'sandbox' is 'bubblewrap'").hasMessageContaining("or 'none'");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
