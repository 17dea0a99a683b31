package dev.troupe.providers;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelProvider;
import java.util.Map;

/** {@code openai:<model>}: OpenAI or any OpenAI-compatible server, configured by OPENAI_BASE_URL and OPENAI_API_KEY. */
public final class OpenAiProvider implements ModelProvider {
    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    // Local servers (llama.cpp, vLLM, LM Studio) ignore the key, but the OpenAI client always sends one.
    private static final String PLACEHOLDER_KEY = "no-key";

    @Override
    public String scheme() {
        return "openai";
    }

    @Override
    public ModelBackend create(String model, Map<String, String> env) {
        String baseUrl = ProviderEnv.get(env, "OPENAI_BASE_URL").orElse(DEFAULT_BASE_URL);
        String apiKey = ProviderEnv.get(env, "OPENAI_API_KEY").orElse(null);
        if (apiKey == null && isDefault(baseUrl)) {
            throw new ConfigurationException("Model 'openai:" + model + "' needs an API key: set OPENAI_API_KEY"
                    + " (or set OPENAI_BASE_URL to use a local OpenAI-compatible server).");
        }
        OpenAiChatModel chat = OpenAiChatModel.builder()
                .httpClientBuilder(new OkHttpClientAdapterBuilder())
                .baseUrl(baseUrl)
                .apiKey(apiKey == null ? PLACEHOLDER_KEY : apiKey)
                .modelName(model)
                .timeout(ProviderEnv.timeout(env))
                .maxRetries(0) // the gateway's RetryInterceptor owns retries
                .build();
        return ModelBackend.of("openai:" + model, chat);
    }

    private static boolean isDefault(String baseUrl) {
        String u = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return u.equalsIgnoreCase(DEFAULT_BASE_URL);
    }
}
