package dev.troupe.providers;

import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelProvider;
import java.util.Map;

/** {@code ollama:<model>}: a local Ollama server, at OLLAMA_BASE_URL or http://localhost:11434. */
public final class OllamaProvider implements ModelProvider {
    static final String DEFAULT_BASE_URL = "http://localhost:11434";

    @Override
    public String scheme() {
        return "ollama";
    }

    @Override
    public ModelBackend create(String model, Map<String, String> env) {
        OllamaChatModel chat = OllamaChatModel.builder()
                .httpClientBuilder(new OkHttpClientAdapterBuilder())
                .baseUrl(ProviderEnv.get(env, "OLLAMA_BASE_URL").orElse(DEFAULT_BASE_URL))
                .modelName(model)
                .timeout(ProviderEnv.timeout(env))
                .maxRetries(0) // the gateway's RetryInterceptor owns retries
                .build();
        return ModelBackend.of("ollama:" + model, chat);
    }
}
