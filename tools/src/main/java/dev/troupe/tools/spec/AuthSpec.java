package dev.troupe.tools.spec;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * What credential an API needs and where it goes; the secret itself never lives in a spec (see
 * {@code dev.troupe.tools.http.Credentials}).
 *
 * @param scheme the kind of credential
 * @param parameterName the header or query parameter that carries an API key; empty for other schemes
 */
public record AuthSpec(AuthScheme scheme, String parameterName) {
    private static final AuthSpec NONE = new AuthSpec(AuthScheme.NONE, "");

    public AuthSpec {
        Objects.requireNonNull(scheme, "scheme");
        parameterName = parameterName == null ? "" : parameterName;
        checkArgument(scheme != AuthScheme.API_KEY_HEADER && scheme != AuthScheme.API_KEY_QUERY
                || !parameterName.isBlank(), "an API key scheme needs the header or query parameter name, got '%s'", parameterName);
    }

    public static AuthSpec none() {
        return NONE;
    }

    public static AuthSpec apiKeyHeader(String header) {
        return new AuthSpec(AuthScheme.API_KEY_HEADER, header);
    }

    public static AuthSpec apiKeyQuery(String parameter) {
        return new AuthSpec(AuthScheme.API_KEY_QUERY, parameter);
    }

    public static AuthSpec bearer() {
        return new AuthSpec(AuthScheme.BEARER, "");
    }

    public static AuthSpec basic() {
        return new AuthSpec(AuthScheme.BASIC, "");
    }
}
