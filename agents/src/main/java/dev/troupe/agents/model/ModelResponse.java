package dev.troupe.agents.model;

import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * A model's answer with what the gateway measured: tokens, cost, latency and attempts.
 *
 * @param model     the spec of the model that answered, e.g. {@code openai:gpt-4o-mini} or {@code dry-run}
 * @param synthetic whether the answer came from a scripted, dry-run or replayed model, not a live one
 */
public record ModelResponse(
        ChatResponse chatResponse,
        String model,
        boolean synthetic,
        long inputTokens,
        long outputTokens,
        double costUsd,
        Duration latency,
        int attempts) {

    public ModelResponse {
        Objects.requireNonNull(chatResponse, "chatResponse");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(latency, "latency");
    }

    /** The answer's text, or an empty string when the model only called tools. */
    public String text() {
        String t = chatResponse.aiMessage().text();
        return t == null ? "" : t;
    }

    /** A copy that cost {@code cost} dollars. */
    public ModelResponse withCost(double cost) {
        if (cost == costUsd) {
            return this;
        }
        return new ModelResponse(chatResponse, model, synthetic, inputTokens, outputTokens, cost, latency, attempts);
    }

    /** A copy that took {@code d}. */
    public ModelResponse withLatency(Duration d) {
        return new ModelResponse(chatResponse, model, synthetic, inputTokens, outputTokens, costUsd, d, attempts);
    }

    /** A copy that took {@code n} tries. */
    public ModelResponse withAttempts(int n) {
        if (n == attempts) {
            return this;
        }
        return new ModelResponse(chatResponse, model, synthetic, inputTokens, outputTokens, costUsd, latency, n);
    }
}
