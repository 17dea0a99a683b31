package dev.troupe.tools.spec;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An API (a "tool" in ToolLLM's words) and its endpoints, immutable; build one with {@link #builder}
 * and derive a changed copy with {@link #toBuilder}.
 *
 * @param name the tool's name as its source spells it
 * @param description what the tool is for; may be empty
 * @param category a grouping such as ToolBench's {@code category_name}; may be empty
 * @param baseUrl where the endpoints' paths are resolved; empty when the source gives none (StableToolBench)
 * @param auth the credential the API expects
 * @param headers constant headers every call sends (e.g. RapidAPI's host header); never secrets
 * @param endpoints the operations, in source order
 * @param source the file the spec was imported from; empty for specs built in code
 */
public record ApiSpec(String name, String description, String category, Optional<String> baseUrl, AuthSpec auth,
        Map<String, String> headers, List<Endpoint> endpoints, String source) {

    public ApiSpec {
        checkArgument(name != null && !name.isBlank(), "an API spec needs a name");
        description = description == null ? "" : description;
        category = category == null ? "" : category;
        baseUrl = Objects.requireNonNull(baseUrl).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        auth = Objects.requireNonNull(auth, "auth");
        headers = ImmutableMap.copyOf(headers);
        endpoints = ImmutableList.copyOf(endpoints);
        source = source == null ? "" : source;
    }

    public Optional<Endpoint> endpoint(String endpointName) {
        return endpoints.stream().filter(e -> e.name().equals(endpointName)).findFirst();
    }

    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder().name(name).description(description).category(category).auth(auth).source(source);
        baseUrl.ifPresent(b::baseUrl);
        headers.forEach(b::header);
        endpoints.forEach(b::endpoint);
        return b;
    }

    /** Builds an {@link ApiSpec}; auth defaults to none. */
    public static final class Builder {
        private String name;
        private String description = "";
        private String category = "";
        private String baseUrl;
        private AuthSpec auth = AuthSpec.none();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<Endpoint> endpoints = new ArrayList<>();
        private String source = "";

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder category(String category) {
            this.category = category;
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl;
            return this;
        }

        public Builder auth(AuthSpec auth) {
            this.auth = auth;
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder endpoint(Endpoint endpoint) {
            endpoints.add(endpoint);
            return this;
        }

        public Builder endpoints(List<Endpoint> endpoints) {
            this.endpoints.clear();
            this.endpoints.addAll(endpoints);
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public ApiSpec build() {
            return new ApiSpec(name, description, category, Optional.ofNullable(baseUrl), auth, headers, endpoints, source);
        }
    }
}
