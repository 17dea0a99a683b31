package dev.troupe.agents.model;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * What the gateway calls at the end of its chain. Any LangChain4j {@link ChatModel} becomes one
 * with {@link #of(String, ChatModel)}; offline models (scripted, dry-run, replay) implement it
 * directly because they answer from the call's role, action and schema.
 */
public interface ModelBackend {

    /** The spec this backend was made from, e.g. {@code openai:gpt-4o-mini}; shown in traces and labels. */
    String spec();

    /** The model name used to look up prices. */
    default String modelName() {
        String s = spec();
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(colon + 1);
    }

    /** Whether answers come from a script, a recording or placeholders rather than a live model. */
    default boolean synthetic() {
        return false;
    }

    ChatResponse chat(ModelRequest request);

    /** Wraps a LangChain4j chat model. */
    static ModelBackend of(String spec, ChatModel model) {
        return new ModelBackend() {
            @Override
            public String spec() {
                return spec;
            }

            @Override
            public ChatResponse chat(ModelRequest request) {
                return model.chat(request.chatRequest());
            }

            @Override
            public String toString() {
                return spec;
            }
        };
    }
}
