package dev.troupe.agents.model.internal;

import dev.troupe.agents.model.Budget;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelCallListener;
import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.ModelResponse;
import dev.troupe.agents.model.PriceTable;
import dev.troupe.agents.model.RetryPolicy;
import com.google.common.collect.ImmutableList;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.troupe.agents.error.ModelException;
import dev.troupe.core.retry.Sleeper;
import dev.troupe.core.security.Redactor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every model call of a run goes through here: a chain of small interceptors around the backend,
 * listed top to bottom in {@link Builder#build()}.
 */
public final class ModelGateway implements AutoCloseable {
    private final ImmutableList<ModelInterceptor> interceptors;
    private final RecordingInterceptor recorder;
    private final UsageLedger ledger;

    private ModelGateway(ImmutableList<ModelInterceptor> interceptors, RecordingInterceptor recorder, UsageLedger ledger) {
        this.interceptors = interceptors;
        this.recorder = recorder;
        this.ledger = ledger;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Calls {@code backend} for {@code request} through the whole chain. */
    public ModelResponse call(ModelBackend backend, ModelRequest request) {
        return new RealChain(backend, request, 0).proceed(request);
    }

    /** The usage booked so far by this gateway's calls. */
    public UsageLedger ledger() {
        return ledger;
    }

    @Override
    public void close() {
        if (recorder != null) {
            recorder.close();
        }
    }

    private final class RealChain implements ModelInterceptor.Chain {
        private final ModelBackend backend;
        private final ModelRequest request;
        private final int index;

        RealChain(ModelBackend backend, ModelRequest request, int index) {
            this.backend = backend;
            this.request = request;
            this.index = index;
        }

        @Override
        public ModelRequest request() {
            return request;
        }

        @Override
        public ModelBackend backend() {
            return backend;
        }

        @Override
        public ModelResponse proceed(ModelRequest next) {
            if (index < interceptors.size()) {
                return interceptors.get(index).intercept(new RealChain(backend, next, index + 1));
            }
            return invoke(backend, next);
        }
    }

    private static ModelResponse invoke(ModelBackend backend, ModelRequest request) {
        long start = System.nanoTime();
        ChatResponse response = backend.chat(request);
        if (response == null || response.aiMessage() == null) {
            throw new ModelException("Model " + backend.spec() + " returned no message for " + request.where(), true, null, null, null);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        TokenUsage usage = response.tokenUsage();
        long in = usage != null && usage.inputTokenCount() != null ? usage.inputTokenCount()
                : PromptText.estimateTokens(request.promptText());
        long out = usage != null && usage.outputTokenCount() != null ? usage.outputTokenCount()
                : PromptText.estimateTokens(PromptText.of(response.aiMessage()));
        return new ModelResponse(response, backend.spec(), backend.synthetic(), in, out, 0.0, latency, 1);
    }

    /** Configures a gateway; every setting has a sensible default. */
    public static final class Builder {
        private ModelCallListener listener = ModelCallListener.NONE;
        private Budget budget = Budget.unlimited();
        private PriceTable prices = PriceTable.defaults();
        private UsageLedger ledger = new UsageLedger();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Sleeper sleeper = Sleeper.REAL;
        private Redactor redactor = Redactor.fromEnvironment();
        private int concurrencyPerModel = 16;
        private Path recordTo;
        private final List<ModelInterceptor> extra = new ArrayList<>();

        private Builder() {}

        public Builder listener(ModelCallListener l) { this.listener = Objects.requireNonNull(l); return this; }
        public Builder budget(Budget b) { this.budget = Objects.requireNonNull(b); return this; }
        public Builder prices(PriceTable p) { this.prices = Objects.requireNonNull(p); return this; }
        public Builder ledger(UsageLedger l) { this.ledger = Objects.requireNonNull(l); return this; }
        public Builder retryPolicy(RetryPolicy p) { this.retryPolicy = Objects.requireNonNull(p); return this; }
        public Builder sleeper(Sleeper s) { this.sleeper = Objects.requireNonNull(s); return this; }
        /** What error messages and the cassette mask; the environment's secrets by default. */
        public Builder redactor(Redactor r) { this.redactor = Objects.requireNonNull(r); return this; }
        public Builder concurrencyPerModel(int n) { this.concurrencyPerModel = n; return this; }
        /** Records every answered call to a cassette file, for {@code replay:<file>}. */
        public Builder recordTo(Path cassette) { this.recordTo = cassette; return this; }
        /** Adds an interceptor between the retry and the concurrency limit: it sees each attempt. */
        public Builder addInterceptor(ModelInterceptor i) { this.extra.add(Objects.requireNonNull(i)); return this; }

        public ModelGateway build() {
            RecordingInterceptor recorder = recordTo == null ? null : new RecordingInterceptor(recordTo, redactor);
            List<ModelInterceptor> chain = new ArrayList<>();
            if (listener.wantsModelCalls()) {
                chain.add(new TracingInterceptor(listener));                  // sees the call as the role does
            }
            chain.add(new BudgetInterceptor(budget, prices, ledger));         // refuses past budget, books cost
            chain.add(new RetryInterceptor(retryPolicy, sleeper, redactor)); // backoff on retriable errors
            chain.addAll(extra);                                              // user interceptors, per attempt
            chain.add(new ConcurrencyLimitInterceptor(concurrencyPerModel));  // holds a slot only while calling
            if (recorder != null) {
                chain.add(recorder);                                          // what the backend really said
            }
            return new ModelGateway(ImmutableList.copyOf(chain), recorder, ledger);
        }
    }
}
