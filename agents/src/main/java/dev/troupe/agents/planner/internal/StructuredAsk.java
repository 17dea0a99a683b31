package dev.troupe.agents.planner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.agents.error.ActionFailedException;
import dev.troupe.agents.json.internal.JsonExtractor;
import dev.troupe.agents.json.OutputSchema;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One structured question to the model from inside a planner (plan, reflect, judge): the prompt is
 * taken word for word (never rendered as a template, since it quotes observations), and the answer
 * is extracted, validated and re-asked with the errors a bounded number of times.
 */
public final class StructuredAsk {
    private static final int MAX_REPAIRS = 2;

    private StructuredAsk() {}

    /**
     * Asks and returns the valid JSON answer. {@code fallback} may turn a non-JSON answer into one
     * (e.g. the paper's "For action index=A, you should B" form).
     */
    public static JsonNode ask(PlannerContext ctx, String step, List<ChatMessage> prompt, OutputSchema schema,
                        Function<String, Optional<JsonNode>> fallback) {
        List<ChatMessage> conversation = new ArrayList<>(prompt);
        for (int attempt = 0; ; attempt++) {
            ModelRequest request = new ModelRequest(ctx.runId(), ctx.role(), step, ctx.nextCall(),
                    ChatRequest.builder().messages(List.copyOf(conversation)).build(), Optional.of(schema.node()));
            ModelResponse response = ctx.gateway().call(ctx.model(), request);
            String text = response.text();
            Optional<JsonNode> json = JsonExtractor.extract(text);
            ImmutableList<String> errors = json.map(schema::validate).orElse(ImmutableList.of("the reply contains no JSON value"));
            if (errors.isEmpty()) {
                return json.get();
            }
            // JSON found inside a prose answer (e.g. a call's arguments) may not be the answer itself.
            Optional<JsonNode> alternative = fallback.apply(text).filter(j -> schema.validate(j).isEmpty());
            if (alternative.isPresent()) {
                return alternative.get();
            }
            if (attempt >= MAX_REPAIRS) {
                throw new ActionFailedException(ctx.role(), ctx.action(), "the " + step + " step gave no valid answer after "
                        + (attempt + 1) + " attempts (" + String.join("; ", errors) + "). Last answer: " + shorten(text));
            }
            conversation.add(AiMessage.from(text));
            conversation.add(UserMessage.from("Your reply is not valid:\n- " + String.join("\n- ", errors)
                    + "\nReply again with only the corrected JSON value."));
        }
    }

    private static String shorten(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "…";
    }
}
