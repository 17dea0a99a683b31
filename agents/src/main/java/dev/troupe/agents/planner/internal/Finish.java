package dev.troupe.agents.planner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.troupe.agents.json.internal.Json;
import java.util.Optional;

/**
 * ToolLLM's {@code Finish} function: the model ends a path with {@code give_answer} and its final
 * answer, or abandons it with {@code give_up_and_restart}.
 */
public final class Finish {
    public static final String NAME = "Finish";

    /** What a call to Finish said. */
    public record Outcome(boolean gaveUp, String answer) {}

    static final ToolSpecification SPEC = ToolSpecification.builder()
            .name(NAME)
            .description("Call this when you are done: with return_type give_answer and the final_answer for the user, or with"
                    + " give_up_and_restart when this path cannot succeed and you want to try a different one.")
            .parameters(JsonObjectSchema.builder()
                    .addEnumProperty("return_type", java.util.List.of("give_answer", "give_up_and_restart"))
                    .addStringProperty("final_answer", "The complete answer for the user (with give_answer)")
                    .required("return_type")
                    .build())
            .build();

    private Finish() {}

    public static ToolSpecification specification() {
        return SPEC;
    }

    /** The outcome when {@code call} is a call to Finish; malformed arguments count as giving up. */
    public static Optional<Outcome> parse(ToolExecutionRequest call) {
        if (!NAME.equals(call.name())) {
            return Optional.empty();
        }
        try {
            JsonNode args = Json.MAPPER.readTree(call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
            boolean gaveUp = !"give_answer".equals(args.path("return_type").asText());
            return Optional.of(new Outcome(gaveUp, args.path("final_answer").asText("")));
        } catch (java.io.IOException e) {
            return Optional.of(new Outcome(true, "Finish was called with unreadable arguments: " + call.arguments()));
        }
    }
}
