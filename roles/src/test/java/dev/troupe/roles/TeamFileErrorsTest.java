package dev.troupe.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mistake in a team file is a {@link TeamDefinitionException} that names the file, the exact
 * line and column of the offending node, and what to do about it.
 */
class TeamFileErrorsTest {
    @TempDir
    Path dir;

    /** Loads {@code yaml} as team.yaml and returns the error, after checking it points at {@code needle}. */
    private TeamDefinitionException loadFails(String yaml, String needle) {
        return loadFails(yaml, needle, 1);
    }

    private TeamDefinitionException loadFails(String yaml, String needle, int nth) {
        Path file = TeamFiles.write(dir, "team.yaml", yaml);
        TeamDefinitionException e = catchThrowableOfType(TeamDefinitionException.class, () -> TeamLoader.load(file));
        assertThat(e).as("loading should fail for:\n%s", yaml).isNotNull();
        assertThat(e.getMessage()).contains(TeamFiles.at(file, yaml, needle, nth) + ": ");
        return e;
    }

    @Nested
    class UnknownKeys {
        @Test
        void unknownTopLevelKeySuggestsTheNearestKey() {
            String yaml = """
                    name: t
                    descripton: a typo
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "descripton").getMessage())
                    .contains("unknown key 'descripton'", "did you mean 'description'?", "valid keys here:", "roles");
        }

        @Test
        void unknownRoleKeySuggestsWatch() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watchs: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "watchs").getMessage())
                    .contains("unknown key 'watchs'", "did you mean 'watch'?", "valid keys here:");
        }

        @Test
        void unknownActionKeySuggestsInstruction() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Say
                            instructions: hi
                    """;
            assertThat(loadFails(yaml, "instructions").getMessage())
                    .contains("unknown key 'instructions'", "did you mean 'instruction'?", "valid keys here:");
        }

        @Test
        void unknownOutputKeySuggestsSchema() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Say
                            instruction: hi
                            output: {shcema: answer.schema.json}
                    """;
            assertThat(loadFails(yaml, "shcema").getMessage())
                    .contains("unknown key 'shcema'", "did you mean 'schema'?", "valid keys here: schema");
        }

        @Test
        void unknownRunKeySuggestsTimeout() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Check
                            run:
                              command: echo ok
                              timout: PT1M
                    """;
            assertThat(loadFails(yaml, "timout").getMessage())
                    .contains("unknown key 'timout'", "did you mean 'timeout'?", "valid keys here:");
        }

        @Test
        void unknownOnFailureKeySuggestsSendTo() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Check
                            run:
                              command: echo ok
                              onFailure: {sendto: [Alice]}
                    """;
            assertThat(loadFails(yaml, "sendto").getMessage()).contains("unknown key 'sendto'", "did you mean 'sendTo'?");
        }

        @Test
        void unknownLimitKeySuggestsMaxRounds() {
            String yaml = """
                    name: t
                    limits: {maxRound: 5}
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "maxRound").getMessage()).contains("unknown key 'maxRound'", "did you mean 'maxRounds'?");
        }

        @Test
        void unknownKeyWithNothingCloseListsTheValidKeysWithoutAGuess() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        favouriteColour: green
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "favouriteColour").getMessage())
                    .contains("unknown key 'favouriteColour'", "valid keys here: actions, constraints, goal")
                    .doesNotContain("did you mean");
        }
    }

    @Nested
    class WrongTypes {
        @Test
        void mappingWhereRolesListIsExpected() {
            String yaml = """
                    name: t
                    roles: {name: Alice, actions: []}
                    """;
            assertThat(loadFails(yaml, "{name: Alice").getMessage())
                    .contains("expected a list (lines starting with '- '), found a mapping", "(at roles)");
        }

        @Test
        void mappingWhereWatchListIsExpected() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: {on: UserRequirement}
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "{on: UserRequirement}").getMessage())
                    .contains("expected a list", "found a mapping", "roles[0].watch");
        }

        @Test
        void textWhereActionsListIsExpected() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions: Say
                    """;
            assertThat(loadFails(yaml, "Say").getMessage()).contains("expected a list", "found 'Say'");
        }

        @Test
        void textWhereMaxReactLoopNumberIsExpected() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        mode: react
                        maxReactLoop: many
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "many").getMessage()).contains("expected a whole number, found 'many'", "roles[0].maxReactLoop");
        }

        @Test
        void zeroMaxReactLoopMustBeAtLeastOne() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        maxReactLoop: 0
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "0").getMessage()).contains("must be at least 1, found 0");
        }

        @Test
        void textWhereBudgetInUsdIsExpected() {
            String yaml = """
                    name: t
                    budget: {usd: lots}
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "lots").getMessage()).contains("expected a number, found 'lots'", "budget.usd");
        }

        @Test
        void negativeTokenBudgetIsRejected() {
            String yaml = """
                    name: t
                    budget: {tokens: -10}
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "-10").getMessage()).contains("the token budget must be > 0");
        }

        @Test
        void unreadableTeamTimeoutExplainsTheDurationFormat() {
            String yaml = """
                    name: t
                    limits: {timeout: soon}
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "soon").getMessage())
                    .contains("expected a duration such as PT30M, PT90S or a number of seconds, found 'soon'");
        }

        @Test
        void negativeTeamTimeoutMustBePositive() {
            String yaml = """
                    name: t
                    limits: {timeout: -PT5M}
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "-PT5M").getMessage()).contains("the timeout must be positive");
        }

        @Test
        void unreadableCommandTimeoutPointsAtTheTimeout() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Check
                            run: {command: echo ok, timeout: forever}
                    """;
            assertThat(loadFails(yaml, "forever").getMessage()).contains("expected a duration", "found 'forever'");
        }

        @Test
        void zeroCommandTimeoutPointsAtTheTimeout() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Check
                            run:
                              command: echo ok
                              timeout: PT0S
                    """;
            assertThat(loadFails(yaml, "PT0S").getMessage()).contains("timeout must be positive");
        }

        @Test
        void tooSmallMaxOutputPointsAtMaxOutput() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Check
                            run:
                              command: echo ok
                              maxOutput: 10
                    """;
            assertThat(loadFails(yaml, "10").getMessage()).contains("maxOutputChars must be >= 200 but was 10");
        }

        @Test
        void unknownModeListsTheModes() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        mode: reactive
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "reactive").getMessage())
                    .contains("unknown mode 'reactive'; use by_order, react or plan_and_act");
        }

        @Test
        void textWhereABooleanIsExpected() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        waitForAll: perhaps
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "perhaps").getMessage()).contains("expected true or false, found 'perhaps'");
        }

        @Test
        void outputThatIsNeitherTextNorAMapping() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Say
                            instruction: hi
                            output: json
                    """;
            assertThat(loadFails(yaml, "json").getMessage())
                    .contains("'output' is either 'text' or a mapping with 'schema:'");
        }

        @Test
        void emptyNameIsReportedAsMissingText() {
            String yaml = """
                    name:
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            // the null value node starts right after "name:"
            assertThat(loadFails(yaml, "\n").getMessage()).contains("expected text, found nothing", "(at name)");
        }

        @Test
        void roleNameThatIsNotAWordIsRejectedAtTheRole() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice Smith
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "name: Alice").getMessage()).contains("role name must start with a letter");
        }
    }

    @Nested
    class MissingFields {
        @Test
        void teamWithoutName() {
            String yaml = """
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "roles").getMessage()).contains("a team needs a 'name:'");
        }

        @Test
        void teamWithoutRoles() {
            String yaml = """
                    name: t
                    description: nobody here
                    """;
            assertThat(loadFails(yaml, "name").getMessage()).contains("a team needs 'roles:', a list of roles");
        }

        @Test
        void teamWithAnEmptyRoleList() {
            String yaml = """
                    name: t
                    roles: []
                    """;
            assertThat(loadFails(yaml, "[]").getMessage()).contains("at least one role");
        }

        @Test
        void roleWithoutName() {
            String yaml = """
                    name: t
                    roles:
                      - profile: Nobody
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "profile").getMessage()).contains("a role needs a 'name:'", "roles[0]");
        }

        @Test
        void roleWithoutActions() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                      - name: Bob
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "name: Alice").getMessage())
                    .contains("role 'Alice' needs 'actions:', a list of actions", "roles[0]");
        }

        @Test
        void roleWithAnEmptyActionList() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions: []
                    """;
            assertThat(loadFails(yaml, "name: Alice").getMessage()).contains("role 'Alice' needs at least one action");
        }

        @Test
        void actionWithoutName() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - instruction: hi
                    """;
            assertThat(loadFails(yaml, "instruction").getMessage())
                    .contains("an action of role 'Alice' needs a 'name:' (or 'use: builtin:<action>')");
        }

        @Test
        void actionWithoutInstruction() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Say
                            sendTo: [Alice]
                    """;
            assertThat(loadFails(yaml, "name: Say").getMessage())
                    .contains("action 'Say' of role 'Alice' needs an 'instruction:' (or 'run:' for a command)");
        }

        @Test
        void runWithoutCommand() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Check
                            run: {timeout: PT1M}
                    """;
            assertThat(loadFails(yaml, "{timeout").getMessage()).contains("'run' needs a 'command:'");
        }
    }

    @Nested
    class BuiltinReferences {
        @Test
        void misspeltBuiltinActionSuggestsWritePrd() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - use: builtin:WritePDR
                    """;
            assertThat(loadFails(yaml, "builtin:WritePDR").getMessage())
                    .contains("unknown action 'builtin:WritePDR'", "did you mean 'builtin:WritePRD'?", "built-in actions: builtin:WritePRD");
        }

        @Test
        void useWithoutTheBuiltinPrefixListsTheBuiltinActions() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - use: WritePRD
                    """;
            assertThat(loadFails(yaml, "WritePRD").getMessage())
                    .contains("unknown action 'WritePRD'", "built-in actions: builtin:WritePRD");
        }

        @Test
        void extendsOfAnUnknownBuiltinTeamSuggestsTheNearest() {
            String yaml = """
                    name: t
                    extends: builtin:software-compnay
                    """;
            assertThat(loadFails(yaml, "builtin:software-compnay").getMessage())
                    .contains("there is no built-in team 'software-compnay'", "did you mean 'software-company'?",
                            "built-in teams: demo, software-company, research-report");
        }

        @Test
        void extendsWithoutTheBuiltinPrefixSaysHowToWriteIt() {
            String yaml = """
                    name: t
                    extends: ./other.yaml
                    """;
            assertThat(loadFails(yaml, "./other.yaml").getMessage())
                    .contains("'extends' takes a built-in team as builtin:<name>");
        }
    }

    @Nested
    class Schemas {
        private static final String TEAM = """
                name: t
                roles:
                  - name: Alice
                    watch: [UserRequirement]
                    actions:
                      - name: Answer
                        instruction: answer {{requirement}}
                        output: {schema: answer.schema.json}
                """;

        @Test
        void schemaFileThatDoesNotExist() {
            assertThat(loadFails(TEAM, "answer.schema.json").getMessage())
                    .contains("schema file 'answer.schema.json' does not exist", dir.resolve("answer.schema.json").toString(),
                            "paths are relative to the team file");
        }

        @Test
        void schemaFileThatIsNotJson() {
            TeamFiles.write(dir, "answer.schema.json", "{\n  \"type\": \"object\",\n  \"required\": [\"a\"\n}\n");
            assertThat(loadFails(TEAM, "answer.schema.json").getMessage())
                    .contains("schema file " + dir.resolve("answer.schema.json") + " is not valid JSON", "at line 4, column");
        }

        @Test
        void schemaFileThatIsNotAValidJsonSchema() {
            // Schemas are checked against the 2020-12 meta-schema, so a misspelt type is caught at load time.
            TeamFiles.write(dir, "answer.schema.json", "{\"type\": \"strnig\"}");
            assertThat(loadFails(TEAM, "answer.schema.json").getMessage())
                    .contains("is not a valid JSON Schema", "$.type: does not have a value in the enumeration");
        }

        @Test
        void schemaFileThatIsJsonButNotAnObject() {
            TeamFiles.write(dir, "answer.schema.json", "[\"type\", \"object\"]");
            assertThat(loadFails(TEAM, "answer.schema.json").getMessage()).contains("must be a JSON object (a JSON Schema)");
        }

        @Test
        void inlineSchemaThatIsNotAValidJsonSchema() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Answer
                            instruction: answer
                            output:
                              schema: {type: string, pattern: "[unclosed"}
                    """;
            assertThat(loadFails(yaml, "{type: string").getMessage()).contains("is not a valid JSON Schema", "Unclosed character class");
        }

        @Test
        void outputMappingWithoutSchema() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Answer
                            instruction: answer
                            output: {}
                    """;
            assertThat(loadFails(yaml, "{}").getMessage()).contains("'output' needs 'schema:'", "or write 'output: text'");
        }
    }

    @Nested
    class YamlSyntax {
        @Test
        void tabIndentationIsInvalidYaml() {
            String yaml = "name: t\nroles:\n\t- name: Alice\n";
            TeamDefinitionException e = loadFails(yaml, "\t");
            assertThat(e.getMessage()).contains("not valid YAML", "Do not use", "for indentation");
        }

        @Test
        void badIndentationIsInvalidYaml() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                         watch: [UserRequirement]
                    """;
            assertThat(loadFails(yaml, ": [UserRequirement]").getMessage()).contains("not valid YAML", "mapping values are not allowed here");
        }

        @Test
        void unclosedFlowListIsInvalidYaml() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement
                        actions: []
                    """;
            // SnakeYAML notices the missing ']' at the ':' of the next key
            assertThat(loadFails(yaml, ": []").getMessage()).contains("not valid YAML", "expected ',' or ']'");
        }

        @Test
        void duplicateTopLevelKey() {
            String yaml = """
                    name: t
                    name: u
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "name: u").getMessage()).contains("duplicate key 'name'");
        }

        @Test
        void duplicateKeyInARole() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        watch: [Say]
                        actions:
                          - {name: Say, instruction: hi}
                    """;
            assertThat(loadFails(yaml, "watch", 2).getMessage()).contains("duplicate key 'watch'");
        }

        @Test
        void emptyFileSaysWhatATeamNeeds() {
            Path file = TeamFiles.write(dir, "team.yaml", "# nothing yet\n");
            TeamDefinitionException e = catchThrowableOfType(TeamDefinitionException.class, () -> TeamLoader.load(file));
            assertThat(e.getMessage()).contains(file.toString(), "the file is empty", "'name:' and 'roles:'");
        }

        @Test
        void missingTeamFileNamesTheBuiltinTeams() {
            Path file = dir.resolve("nope.yaml");
            TeamDefinitionException e = catchThrowableOfType(TeamDefinitionException.class, () -> TeamLoader.load(file));
            assertThat(e.getMessage()).contains("Team file not found: " + file, "demo, software-company, research-report");
        }

        @Test
        void unknownBuiltinTeamByNameSuggestsTheNearest() {
            TeamDefinitionException e = catchThrowableOfType(TeamDefinitionException.class, () -> TeamLoader.load("builtin:dmeo"));
            assertThat(e.getMessage()).contains("There is no built-in team 'dmeo'", "did you mean 'demo'?");
        }
    }

    @Nested
    class SopErrors {
        @Test
        void watchedActionThatNobodyProducesIsReportedAtTheRole() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: WriteSpec, instruction: spec}
                      - name: Bob
                        watch: [WriteSpek]
                        actions:
                          - {name: Review, instruction: review}
                    """;
            assertThat(loadFails(yaml, "name: Bob").getMessage())
                    .contains("has an invalid SOP", "role 'Bob' watches 'WriteSpek', which no role produces",
                            "did you mean 'WriteSpec'?", "watch an action of the team or UserRequirement");
        }

        @Test
        void unreachableRolesAreReportedEachAtItsOwnLine() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: WriteSpec, instruction: spec}
                      - name: Carol
                        watch: [Answer]
                        actions:
                          - {name: Question, instruction: ask}
                      - name: Dan
                        watch: [Question]
                        actions:
                          - {name: Answer, instruction: answer}
                    """;
            TeamDefinitionException e = loadFails(yaml, "name: Carol");
            Path file = dir.resolve("team.yaml");
            assertThat(e.getMessage())
                    .contains(TeamFiles.at(file, yaml, "name: Carol") + ": role 'Carol' can never run")
                    .contains(TeamFiles.at(file, yaml, "name: Dan") + ": role 'Dan' can never run")
                    .doesNotContain("role 'Alice' can never run");
        }

        @Test
        void twoActionsWithOneNameInOneRole() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                          - {name: Say, instruction: hello}
                    """;
            assertThat(loadFails(yaml, "name: Alice").getMessage()).contains("role 'Alice' has two actions named 'Say'");
        }

        @Test
        void twoActionsWithOneNameInTwoRolesIsReportedAtTheSecondRole() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                      - name: Bob
                        watch: [Say]
                        actions:
                          - {name: Say, instruction: hello}
                    """;
            assertThat(loadFails(yaml, "name: Bob").getMessage())
                    .contains("two actions are named 'Say' (in roles 'Alice' and 'Bob')", "so rename one");
        }

        @Test
        void twoRolesWithOneNameInOneFile() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi}
                      - name: Alice
                        watch: [Say]
                        actions:
                          - {name: Echo, instruction: echo}
                    """;
            assertThat(loadFails(yaml, "name: Alice", 2).getMessage()).contains("two roles are named 'Alice'");
        }

        @Test
        void unknownSendToSuggestsTheNearestRole() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: hi, sendTo: [Bobb]}
                      - name: Bob
                        watch: [Say]
                        actions:
                          - {name: Echo, instruction: echo}
                    """;
            assertThat(loadFails(yaml, "name: Alice").getMessage())
                    .contains("action 'Say' of role 'Alice' sends to 'Bobb', which is not a role of the team", "did you mean 'Bob'?");
        }

        @Test
        void unknownOnFailureAddresseeIsReportedAtTheRole() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - name: Check
                            run: {command: echo ok, onFailure: {sendTo: [Nobody]}}
                    """;
            assertThat(loadFails(yaml, "name: Alice").getMessage()).contains("sends to 'Nobody', which is not a role of the team");
        }

        @Test
        void unknownTemplateVariableIsReportedAtTheRole() {
            String yaml = """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        actions:
                          - {name: Say, instruction: "hi {{requirment}}"}
                    """;
            assertThat(loadFails(yaml, "name: Alice").getMessage())
                    .contains("action 'Say' of role 'Alice' uses {{requirment}}, which is neither a built-in variable");
        }

        @Test
        void templateFieldTheProducersSchemaLacksIsReportedAtTheRoleWithTheNearestField() {
            String yaml = """
                    name: t
                    roles:
                      - name: Triager
                        watch: [UserRequirement]
                        actions:
                          - name: Classify
                            instruction: "Classify {{requirement}}"
                            output:
                              schema:
                                type: object
                                required: [severity]
                                properties:
                                  severity: {type: string}
                                  summary: {type: string}
                      - name: Writer
                        watch: [Classify]
                        actions:
                          - {name: Report, instruction: "Report the {{Classify.severty}} issue"}
                    """;
            assertThat(loadFails(yaml, "name: Writer").getMessage())
                    .contains("action 'Report' of role 'Writer' uses {{Classify.severty}}",
                            "the output schema of 'Classify' has no field 'severty' (did you mean 'severity'?)");
        }

        @Test
        void templateFieldOfABuiltinTeamsActionIsCheckedAgainstItsSchemaFile() {
            String yaml = """
                    extends: builtin:software-company
                    roles:
                      - name: Reviewer
                        watch: [WritePRD]
                        actions:
                          - {name: Review, instruction: "Review {{WritePRD.acceptance}} against {{WritePRD.titel}}"}
                    """;
            assertThat(loadFails(yaml, "name: Reviewer").getMessage())
                    .contains("uses {{WritePRD.titel}}", "no field 'titel' (did you mean 'title'?)")
                    .doesNotContain("{{WritePRD.acceptance}}");
        }

        @Test
        void sopErrorOfARoleAddedToABuiltinTeamPointsAtTheUsersFile() {
            String yaml = """
                    extends: builtin:software-company
                    roles:
                      - name: Reviewer
                        watch: [WriteKode]
                        actions:
                          - {name: Review, instruction: review}
                    """;
            assertThat(loadFails(yaml, "name: Reviewer").getMessage())
                    .contains("role 'Reviewer' watches 'WriteKode'", "did you mean 'WriteCode'?");
        }
    }
    @Nested
    class McpServers {
        private String team(String servers) {
            return """
                    name: t
                    roles:
                      - name: Alice
                        watch: [UserRequirement]
                        tools:
                          mcp:
                    %s
                        actions:
                          - {name: Say, instruction: hi}
                    """.formatted(servers.indent(8).stripTrailing());
        }

        @Test
        void aServerWithBothCommandAndUrlIsRefusedAtTheEntry() {
            String yaml = team("- {name: files, command: [npx, server], url: \"http://127.0.0.1:3001/mcp\"}");
            assertThat(loadFails(yaml, "{name: files").getMessage()).contains("MCP server 'files' needs exactly one of 'command:'");
        }

        @Test
        void headersOnAStdioServerPointAtTheHeaders() {
            String yaml = team("- name: files\n  command: [npx, server]\n  headers: {Authorization: x}");
            assertThat(loadFails(yaml, "{Authorization").getMessage()).contains("'headers:' is for an HTTP server ('url:')");
        }

        @Test
        void twoServersOfOneNameAreRefusedAtTheSecond() {
            String yaml = team("- {name: files, command: [a]}\n- {name: files, command: [b]}");
            assertThat(loadFails(yaml, "files", 2).getMessage()).contains("two MCP servers are named 'files'");
        }

        @Test
        void aUrlThatIsNotHttpIsRefused() {
            String yaml = team("- {name: kb, url: \"ftp://example.org/mcp\"}");
            assertThat(loadFails(yaml, "\"ftp").getMessage()).contains("must be an http:// or https:// address");
        }

        @Test
        void withoutTroupeMcpOnTheClassPathTheErrorSaysWhichDependencyToAdd() {
            String yaml = team("- {name: files, command: [npx, server]}");
            assertThat(loadFails(yaml, "- {name: files").getMessage()).contains("add the dependency dev.troupe:troupe-mcp");
        }
    }
}
