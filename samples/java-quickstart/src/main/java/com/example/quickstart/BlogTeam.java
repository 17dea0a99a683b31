package com.example.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;

/** A two-role team built in code: a Planner outlines an article, a Writer drafts it. */
public final class BlogTeam {
    public static RunResult run() throws Exception {
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

        // Scripted answers, so this runs offline; for a live model: .model("openai:gpt-4o-mini") with troupe-providers.
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
        System.out.println(title + ": " + draft);
        return result;
    }
}
