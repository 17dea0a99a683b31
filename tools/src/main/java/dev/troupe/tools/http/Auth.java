package dev.troupe.tools.http;

import dev.troupe.core.security.Redactor;
import dev.troupe.tools.function.ToolFunction;
import dev.troupe.tools.spec.AuthScheme;
import dev.troupe.tools.spec.AuthSpec;
import java.util.Optional;
import okhttp3.Request;

/** The credential of a call, resolved once and put on each same-origin hop by the {@link AuthInterceptor}. */
record Auth(AuthSpec spec, Optional<Credential> credential) {

    /** The scheme and credential {@code credentials} give {@code function}'s tool (an override wins over its spec). */
    static Auth of(ToolFunction function, Credentials credentials) {
        AuthSpec spec = credentials.authOverride(function.toolKey()).orElse(function.tool().auth());
        return new Auth(spec, spec.scheme() == AuthScheme.NONE ? Optional.empty() : credentials.lookup(function.toolKey()));
    }

    /** {@code base}, also masking this credential in every form it is sent in. */
    Redactor masking(Redactor base) {
        return credential.map(c -> switch (c) {
            case Credential.Token token -> base.withSecret(token.value().reveal()).withBasicCredential("", token.value().reveal());
            case Credential.UserPassword basic -> base.withBasicCredential(basic.user(), basic.password().reveal());
        }).orElse(base);
    }

    Request apply(Request request) {
        if (credential.isEmpty() || spec.scheme() == AuthScheme.NONE) {
            return request;
        }
        Request.Builder b = request.newBuilder();
        switch (credential.get()) {
            case Credential.Token token -> {
                String value = token.value().reveal();
                switch (spec.scheme()) {
                    case API_KEY_HEADER -> b.header(spec.parameterName(), value);
                    case API_KEY_QUERY -> b.url(request.url().newBuilder().setQueryParameter(spec.parameterName(), value).build());
                    case BEARER -> b.header("Authorization", "Bearer " + value);
                    case BASIC -> b.header("Authorization", okhttp3.Credentials.basic("", value));
                    case NONE -> {
                    }
                }
            }
            case Credential.UserPassword basic ->
                    b.header("Authorization", okhttp3.Credentials.basic(basic.user(), basic.password().reveal()));
        }
        return b.build();
    }
}
