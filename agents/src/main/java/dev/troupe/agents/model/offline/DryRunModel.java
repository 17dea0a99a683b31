package dev.troupe.agents.model.offline;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelRequest;

/**
 * Answers without a model, to check a team's wiring, SOP and prompts: schema outputs get
 * schema-valid placeholders, text outputs a line labelled as dry-run output.
 */
public final class DryRunModel implements ModelBackend {
    public static final String SPEC = "dry-run";

    @Override
    public String spec() {
        return SPEC;
    }

    @Override
    public boolean synthetic() {
        return true;
    }

    @Override
    public ChatResponse chat(ModelRequest request) {
        String text = request.outputSchema()
                .map(schema -> SchemaPlaceholders.generate(schema).toPrettyString())
                .orElseGet(() -> "[dry-run] placeholder output of role " + request.role() + ", action " + request.action() + ".");
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).modelName(SPEC).build();
    }
}
