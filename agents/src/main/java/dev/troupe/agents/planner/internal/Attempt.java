package dev.troupe.agents.planner.internal;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.troupe.memory.reflection.FailureReason;
import dev.troupe.memory.reflection.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** How one attempt of a {@link Planner} ended: with an answer, or without one and why. */
public sealed interface Attempt {
    /** The tool calls made on the way, with their observations, in order. */
    List<Step> steps();

    /**
     * An answer. {@code conversation} ends with the answer as a plain assistant message; a re-ask
     * that repairs the answer continues it.
     */
    record Answered(String answer, List<Step> steps, List<ChatMessage> conversation) implements Attempt {
        public Answered {
            Objects.requireNonNull(answer, "answer");
            steps = List.copyOf(steps);
            conversation = List.copyOf(conversation);
            if (conversation.isEmpty() || !(conversation.getLast() instanceof AiMessage)) {
                throw new IllegalArgumentException("an answered attempt's conversation ends with the answer");
            }
        }

        /** The same attempt answering {@code other} instead, in its closing message too. */
        public Answered withAnswer(String other) {
            List<ChatMessage> replaced = new ArrayList<>(conversation.subList(0, conversation.size() - 1));
            replaced.add(AiMessage.from(other));
            return new Answered(other, steps, replaced);
        }
    }

    /** No answer; {@code steps} is the path reflection reasons about (DFSDT: the longest explored). */
    record Exhausted(List<Step> steps, FailureReason reason, String detail) implements Attempt {
        public Exhausted {
            steps = List.copyOf(steps);
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
