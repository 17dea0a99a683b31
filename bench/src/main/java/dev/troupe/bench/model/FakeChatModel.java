package dev.troupe.bench.model;

import static com.google.common.base.Preconditions.checkArgument;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one model every framework in the bench calls: it answers the prompt {@code "TAG <<INPUT>>"}
 * (the last user message) with {@code "TAG(INPUT)"} after a fixed latency, reports a fixed token
 * usage, and counts calls, calls in flight and, when asked, calls per run.
 *
 * <p>So a 5-step chain on requirement {@code r} must end in {@code S5(S4(S3(S2(S1(r)))))}: the
 * output itself proves every step saw its predecessor's output.
 */
public final class FakeChatModel implements ChatModel {
    /** The token usage of every answer. */
    public static final TokenUsage USAGE = new TokenUsage(40, 10);

    private final long latencyMillis;
    private final boolean countPerRun;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, LongAdder> callsByRun = new ConcurrentHashMap<>();

    private FakeChatModel(Duration latency, boolean countPerRun) {
        checkArgument(!latency.isNegative(), "latency must be >= 0 but was %s", latency);
        this.latencyMillis = latency.toMillis();
        this.countPerRun = countPerRun;
    }

    /** A model answering after {@code latency} (zero answers at once, without sleeping). */
    public static FakeChatModel withLatency(Duration latency) {
        return new FakeChatModel(latency, false);
    }

    /**
     * A model that also counts calls per run, keyed by the run's requirement (the innermost
     * {@code INPUT}, which every prompt of a run carries); for concurrent workloads, where a
     * global counter cannot tell runs apart.
     */
    public static FakeChatModel countingPerRun(Duration latency) {
        return new FakeChatModel(latency, true);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            calls.incrementAndGet();
            String prompt = lastUserText(request.messages());
            String reply = answer(prompt);
            if (countPerRun) {
                callsByRun.computeIfAbsent(requirementOf(prompt), k -> new LongAdder()).increment();
            }
            if (latencyMillis > 0) {
                sleep();
            }
            return ChatResponse.builder()
                    .aiMessage(AiMessage.from(reply))
                    .tokenUsage(USAGE)
                    .finishReason(FinishReason.STOP)
                    .modelName("fake")
                    .build();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void sleep() {
        try {
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fake model interrupted while answering", e);
        }
    }

    /** {@code "TAG <<INPUT>>"} becomes {@code "TAG(INPUT)"}; anything else is a wiring error of the bench. */
    static String answer(String prompt) {
        int open = prompt.indexOf(" <<");
        if (open <= 0 || !prompt.endsWith(">>")) {
            throw new IllegalArgumentException("fake model: the prompt must read 'TAG <<INPUT>>' but was '" + prompt + "'");
        }
        return prompt.substring(0, open) + '(' + prompt.substring(open + 3, prompt.length() - 2) + ')';
    }

    /** The innermost input of a prompt: what the first step of the run was given. */
    static String requirementOf(String prompt) {
        int start = prompt.lastIndexOf('(');
        start = start < 0 ? prompt.indexOf(" <<") + 3 : start + 1;
        int end = start;
        while (end < prompt.length() && prompt.charAt(end) != ')' && prompt.charAt(end) != '>' && prompt.charAt(end) != '|') {
            end++;
        }
        return prompt.substring(start, end);
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage u) {
                return u.singleText();
            }
        }
        throw new IllegalArgumentException("fake model: the request has no user message: " + messages);
    }

    public long latencyMillis() {
        return latencyMillis;
    }

    /** Calls answered or in progress since creation or the last {@link #reset()}. */
    public long calls() {
        return calls.get();
    }

    /** The most calls that were in progress at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Calls made for the run whose requirement is {@code requirement} (needs {@link #countingPerRun}). */
    public long callsFor(String requirement) {
        checkArgument(countPerRun, "this fake model does not count calls per run; make it with countingPerRun");
        LongAdder n = callsByRun.get(requirement);
        return n == null ? 0 : n.sum();
    }

    public void reset() {
        calls.set(0);
        maxInFlight.set(0);
        callsByRun.clear();
    }
}
