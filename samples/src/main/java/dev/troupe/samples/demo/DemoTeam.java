package dev.troupe.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.json.Json;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.Team;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The built-in demo: a product manager writes a PRD; an architect and a QA engineer work on it in
 * parallel; a tech lead joins both results into a go/no-go review. Ships with a scripted model.
 */
public final class DemoTeam {
    public static final String NAME = "demo";
    public static final String DEFAULT_IDEA = "A command-line snake game";
    private static final String BASE = "/dev/troupe/samples/demo/";

    private DemoTeam() {}

    /** The demo's roles on {@code builder}; the caller adds the model and limits. */
    public static Team.Builder builder() {
        Role pm = Role.builder("Alice").profile("Product Manager").goal("Turn the idea into a short, testable PRD")
                .constraints("One page; concrete acceptance criteria")
                .watch(Message.USER_REQUIREMENT)
                .actions(Action.structured("WritePRD", "Write a PRD for this idea: {{requirement}}", schema("prd.schema.json")))
                .build();
        Role architect = Role.builder("Bob").profile("Architect").goal("Design a simple structure that meets the PRD")
                .watch("WritePRD")
                .actions(Action.structured("WriteDesign", "Design the program for this PRD:\n{{WritePRD}}", schema("design.schema.json")))
                .build();
        Role qa = Role.builder("Eve").profile("QA Engineer").goal("Make every acceptance criterion testable")
                .watch("WritePRD")
                .actions(Action.structured("WriteTestPlan", "Write a test plan for the PRD:\n{{WritePRD}}", schema("testplan.schema.json")))
                .build();
        Role lead = Role.builder("Dan").profile("Tech Lead").goal("Decide whether the design and test plan are ready")
                .watch("WriteDesign", "WriteTestPlan").waitForAll(true)
                .actions(Action.text("ReviewPlan", "Review the design and the test plan together for '{{WritePRD.title}}'."
                        + " Say GO or NO-GO and why.\n\nDesign:\n{{WriteDesign}}\n\nTest plan:\n{{WriteTestPlan}}"))
                .build();
        return Team.builder(NAME).role(pm).role(architect).role(qa).role(lead);
    }

    /** The bundled scripted model that answers the demo offline. */
    public static ModelBackend scriptedModel() {
        return ScriptedModel.parse(resource("script.yaml"), "builtin demo script.yaml", "scripted:builtin/demo/script.yaml");
    }

    private static JsonNode schema(String name) {
        try {
            return Json.MAPPER.readTree(resource(name));
        } catch (IOException e) {
            throw new ConfigurationException("The bundled demo schema " + name + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = DemoTeam.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled resource " + BASE + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
