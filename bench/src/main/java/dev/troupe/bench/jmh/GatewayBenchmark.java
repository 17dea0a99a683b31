package dev.troupe.bench.jmh;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.internal.ModelGateway;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.bench.model.FakeChatModel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's own cost per model call: a call through the default chain (tracing, budget,
 * retry, concurrency limit) against the same call made directly on the backend, both on the
 * zero-latency fake model. The difference is the gateway's overhead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GatewayBenchmark {
    private ModelGateway gateway;
    private ModelBackend backend;
    private ModelRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        backend = ModelBackend.of("fake:bench", FakeChatModel.withLatency(Duration.ZERO));
        gateway = ModelGateway.builder().build();
        request = new ModelRequest("run-1", "Writer", "Draft", 0,
                ChatRequest.builder().messages(UserMessage.from("Draft <<req-1>>")).build(), Optional.empty());
    }

    /** One call through the gateway's whole chain. */
    @Benchmark
    public ModelResponse throughGateway() {
        return gateway.call(backend, request);
    }

    /** The same call on the backend alone: the baseline. */
    @Benchmark
    public ChatResponse direct() {
        return backend.chat(request);
    }
}
