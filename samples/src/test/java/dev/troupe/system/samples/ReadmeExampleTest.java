package dev.troupe.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import org.junit.jupiter.api.Test;

/** The Java example of README.md, kept here verbatim so it cannot rot. */
class ReadmeExampleTest {

    @Test
    void twoRoleTeamBuiltInCodeRunsOnAScriptedModel() throws Exception {
        // --- README example starts ---
        JsonNode outlineSchema = new ObjectMapper().readTree("""
                {"type": "object", "required": ["title", "sections"],
                 "properties": {"title": {"type": "string"},
                                "sections": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}
                """);
        Role planner = Role.builder("Planner").profile("Editor").goal("Outline the article")
                .watch("UserRequirement")
                .actions(Action.structured("Outline", "Outline an article about: {{requirement}}", outlineSchema))
                .build();
        Role writer = Role.builder("Writer").profile("Technical writer").goal("Write clear prose")
                .watch("Outline")
                .actions(Action.text("Draft", "Write the article '{{Outline.title}}' from this outline:\n{{Outline}}"))
                .build();

        var model = ScriptedModel.parse("""
                replies:
                  - action: Outline
                    reply: '{"title": "Virtual threads", "sections": ["Why", "How", "Pitfalls"]}'
                  - action: Draft
                    reply: "Virtual threads make blocking cheap. ..."
                """, "inline script", "scripted:inline");

        Team team = Team.builder("blog").role(planner).role(writer).model(model).build();
        RunResult result = team.run("Java virtual threads");

        String title = result.payload("Outline").orElseThrow().get("title").asText();   // "Virtual threads"
        String draft = result.document("Draft").orElseThrow().content();
        // --- README example ends ---

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(title).isEqualTo("Virtual threads");
        assertThat(draft).startsWith("Virtual threads make blocking cheap.");
        assertThat(result.usage()).containsOnlyKeys("Planner", "Writer");
        assertThat(result.document("Draft").orElseThrow().model()).contains("scripted:inline");
    }

    @Test
    void teamYamlOfTheReadmeIsValidAndRunsOnTheDryRunModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        int section = readme.indexOf("## Teams in YAML");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        java.nio.file.Path file = dir.resolve("blog.yaml");
        java.nio.file.Files.writeString(file, yaml);

        var def = dev.troupe.roles.TeamLoader.load(file);
        RunResult result = def.toBuilder(new dev.troupe.agents.model.offline.DryRunModel(),
                dev.troupe.agents.model.ModelResolver.withEnv(java.util.Map.of())).build().run("Java virtual threads");

        assertThat(def.name()).isEqualTo("blog");
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.documents().keySet()).contains("Outline", "Draft", "Polish");
    }
}
