package dev.troupe.tools.http;

import com.google.common.collect.ImmutableMap;
import dev.troupe.tools.spec.AuthSpec;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the executor finds each tool's credential: given in config (by tool key), else in the
 * environment as {@code TROUPE_TOOL_<TOOLKEY>_KEY} (API key or token) or {@code _USER} and {@code _PASSWORD}
 * (basic auth), else {@code TROUPE_TOOL_DEFAULT_KEY} for every tool (one RapidAPI key serves all ToolBench tools).
 */
public final class Credentials {
    private final Map<String, Credential> byTool;
    private final Map<String, AuthSpec> authOverrides;
    private final Map<String, String> environment;

    private Credentials(Map<String, Credential> byTool, Map<String, AuthSpec> authOverrides, Map<String, String> environment) {
        this.byTool = ImmutableMap.copyOf(byTool);
        this.authOverrides = ImmutableMap.copyOf(authOverrides);
        this.environment = ImmutableMap.copyOf(environment);
    }

    /** No credentials at all. */
    public static Credentials none() {
        return new Credentials(Map.of(), Map.of(), Map.of());
    }

    /** Credentials from the process environment only. */
    public static Credentials fromEnvironment() {
        return builder().environment(System.getenv()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The environment variable that holds a tool's key or token (for messages that tell the user what to set). */
    public static String environmentVariable(String toolKey) {
        return "TROUPE_TOOL_" + toolKey.toUpperCase(Locale.ROOT) + "_KEY";
    }

    Optional<Credential> lookup(String toolKey) {
        Credential given = byTool.get(toolKey);
        if (given != null) {
            return Optional.of(given);
        }
        String prefix = "TROUPE_TOOL_" + toolKey.toUpperCase(Locale.ROOT);
        String key = environment.get(prefix + "_KEY");
        if (key != null && !key.isEmpty()) {
            return Optional.of(Credential.secret(key));
        }
        String user = environment.get(prefix + "_USER");
        String password = environment.get(prefix + "_PASSWORD");
        if (user != null && password != null && !password.isEmpty()) {
            return Optional.of(Credential.basic(user, password));
        }
        String shared = environment.get("TROUPE_TOOL_DEFAULT_KEY");
        return shared == null || shared.isEmpty() ? Optional.empty() : Optional.of(Credential.secret(shared));
    }

    Optional<AuthSpec> authOverride(String toolKey) {
        return Optional.ofNullable(authOverrides.get(toolKey));
    }

    @Override
    public String toString() {
        return "Credentials{tools=" + byTool.keySet() + ", overrides=" + authOverrides.keySet() + "}";
    }

    /** Builds {@link Credentials}. */
    public static final class Builder {
        private final Map<String, Credential> byTool = new HashMap<>();
        private final Map<String, AuthSpec> authOverrides = new HashMap<>();
        private Map<String, String> environment = Map.of();

        /** The credential of a tool, by its tool key (see {@code ToolFunction.toolKey()}). */
        public Builder put(String toolKey, Credential credential) {
            byTool.put(toolKey, credential);
            return this;
        }

        /** A credential plus where it goes, for specs that do not say (or say wrongly). */
        public Builder put(String toolKey, AuthSpec auth, Credential credential) {
            authOverrides.put(toolKey, auth);
            return put(toolKey, credential);
        }

        /** Variables to look credentials up in, usually {@code System.getenv()}. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        public Credentials build() {
            return new Credentials(byTool, authOverrides, environment);
        }
    }
}
