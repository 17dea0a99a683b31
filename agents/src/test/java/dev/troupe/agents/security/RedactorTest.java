package dev.troupe.agents.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor redactor = Redactor.of(Map.of(
            "OPENAI_API_KEY", "sk-live-1234567890abcdef",
            "WEATHER_TOKEN", "tok_abcdefgh",
            "HOME", "/home/ada",
            "SHORT_KEY", "abc"), List.of("extra-secret-value"));

    @Test
    void masksValuesOfSecretLookingVariablesButNotOthers() {
        assertThat(redactor.redact("key sk-live-1234567890abcdef and tok_abcdefgh in /home/ada"))
                .isEqualTo("key [redacted] and [redacted] in /home/ada");
    }

    @Test
    void ignoresValuesTooShortToBeSecretsAndMasksExtraOnes() {
        assertThat(redactor.redact("abc extra-secret-value")).isEqualTo("abc [redacted]");
    }

    @Test
    void masksAuthorizationHeadersBearerTokensAndPasswordsInUrls() {
        assertThat(redactor.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y")).doesNotContain("eyJhbGciOiJIUzI1NiJ9");
        assertThat(redactor.redact("{\"authorization\":\"Basic dXNlcjpwYXNz\"}")).doesNotContain("dXNlcjpwYXNz");
        assertThat(redactor.redact("sent bearer abcdefghijklmnop")).isEqualTo("sent bearer [redacted]");
        assertThat(redactor.redact("jdbc via postgres://admin:hunter22@db:5432/x"))
                .isEqualTo("jdbc via postgres://admin:[redacted]@db:5432/x");
    }

    @Test
    void aSecretContainingAnotherIsMaskedWhole() {
        Redactor r = Redactor.of(Map.of("A_KEY", "secret-123456", "B_KEY", "secret-123456-and-more"), List.of());
        assertThat(r.redact("x secret-123456-and-more y")).isEqualTo("x [redacted] y");
    }
}
