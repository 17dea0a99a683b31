package dev.troupe.bench.contender;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.troupe.bench.workload.Shapes;

/** One model call as the plain-Java floor and the LangGraph4j nodes make it: a single user message. */
final class Ask {
    private Ask() {}

    static String step(ChatModel model, String step, String input) {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(Shapes.prompt(step, input))).build();
        return model.chat(request).aiMessage().text();
    }
}
