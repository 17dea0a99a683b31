package dev.troupe.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No built-in team plans, so a small plan-and-act team checks that the server maps the internal
 * {@code _plan} step, and that a planning role finishes under faults with its fault-free documents.
 */
class PlanAndActUnderFaultsTest {
    private static final String TEAM = """
            name: planner
            idea: An article on Java virtual threads
            offlineModel: scripted:script.yaml
            roles:
              - name: Pat
                profile: Technical writer
                goal: A short article
                watch: [UserRequirement]
                mode: plan_and_act
                actions:
                  - name: Outline
                    instruction: "Outline an article about {{requirement}}"
                    output:
                      schema:
                        type: object
                        required: [title, sections]
                        properties:
                          title: {type: string}
                          sections: {type: array, minItems: 1, items: {type: string}}
                  - name: Draft
                    instruction: "Draft the article '{{Outline.title}}' from its outline: {{Outline}}"
            """;
    private static final String SCRIPT = """
            replies:
              - role: Pat
                action: _plan
                reply:
                  tasks:
                    - {id: outline, action: Outline, instruction: Outline the article, dependsOn: []}
                    - {id: draft, action: Draft, instruction: Draft it from the outline, dependsOn: [outline]}
              - role: Pat
                action: Outline
                reply: {title: Virtual threads, sections: [Why, How, Pitfalls]}
              - role: Pat
                action: Draft
                reply: Virtual threads make blocking cheap.
            """;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void planningRoleFinishesUnderFaultsWithTheFaultFreeDocuments(long seed, @TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("team.yaml"), TEAM);
        Files.writeString(dir.resolve("script.yaml"), SCRIPT);
        TeamDefinition def = TeamLoader.load(dir.resolve("team.yaml"));
        var reference = TeamRuns.documents(TeamRuns.offline(def, dir.resolve("offline")));

        try (FaultyOpenAiServer server = FaultyOpenAiServer.builder(def).faultRate(0.6).seed(seed)
                .maxFaultsPerCall(TeamRuns.RETRIES.maxAttempts() - 1).start()) {
            TeamRuns.Outcome o = TeamRuns.run(def, server, dir.resolve("faulty"));
            System.out.printf("[faults] plan-and-act seed %d: %s, calls=%d, status=%s%n", seed, server.summary(),
                    o.calls().size(), o.result().status());

            assertThat(server.problems()).isEmpty();
            assertThat(server.faults()).as("faults injected with this seed").isPositive();
            assertThat(o.result().status()).as("error: %s", o.result().error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(TeamRuns.documents(o.result())).isEqualTo(reference).hasSize(2);
            assertThat(server.exchanges()).extracting(FaultyOpenAiServer.Exchange::action).contains(Role.PLAN, "Outline", "Draft");
            assertThat(server.requests()).isEqualTo(o.attempts());
        }
    }
}
