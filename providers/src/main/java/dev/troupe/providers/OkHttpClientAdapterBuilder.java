package dev.troupe.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;

/** Builds {@link OkHttpClientAdapter}s; LangChain4j model builders pass their timeouts through it. */
public final class OkHttpClientAdapterBuilder implements HttpClientBuilder {
    private Duration connectTimeout;
    private Duration readTimeout;

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public OkHttpClientAdapterBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public OkHttpClientAdapterBuilder readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    @Override
    public OkHttpClientAdapter build() {
        return new OkHttpClientAdapter(connectTimeout, readTimeout);
    }
}
