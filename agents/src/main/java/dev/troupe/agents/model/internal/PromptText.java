package dev.troupe.agents.model.internal;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import java.util.stream.Collectors;

/** Renders chat messages as plain text, for matching, hashing and token estimates. */
public final class PromptText {
    private PromptText() {}

    public static String of(List<ChatMessage> messages) {
        return messages.stream().map(PromptText::of).collect(Collectors.joining("\n"));
    }

    public static String of(ChatMessage m) {
        return switch (m) {
            case SystemMessage s -> s.text();
            case UserMessage u -> u.hasSingleText() ? u.singleText() : u.contents().toString();
            case AiMessage a -> (a.text() == null ? "" : a.text())
                    + (a.hasToolExecutionRequests() ? a.toolExecutionRequests().toString() : "");
            case ToolExecutionResultMessage t -> t.text();
            default -> m.toString();
        };
    }

    /** A rough token count (4 characters a token) for models that report none. */
    public static int estimateTokens(String text) {
        return text.isEmpty() ? 0 : Math.max(1, text.length() / 4);
    }
}
