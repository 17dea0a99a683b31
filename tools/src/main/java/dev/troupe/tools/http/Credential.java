package dev.troupe.tools.http;

import java.util.Objects;

/**
 * A credential for one tool: a single secret (an API key or a bearer token, placed as the spec's
 * {@code AuthSpec} says) or a user and password for basic auth; its {@code toString} never shows secrets.
 */
public sealed interface Credential {

    /** An API key or bearer token. */
    static Credential secret(String value) {
        return new Token(Secret.of(value));
    }

    static Credential basic(String user, String password) {
        return new UserPassword(user, Secret.of(password));
    }

    /** An API key or a bearer token. */
    record Token(Secret value) implements Credential {
        public Token {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A user and password for HTTP basic auth; the user name is not secret, the password is. */
    record UserPassword(String user, Secret password) implements Credential {
        public UserPassword {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }
    }
}
