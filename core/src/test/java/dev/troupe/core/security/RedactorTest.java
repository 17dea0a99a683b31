package dev.troupe.core.security;

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

    @Test
    void aCallsSecretIsMaskedInEveryEncodingItTravelsIn() {
        Redactor r = Redactor.none().withSecret("p@ss word/&").withBasicCredential("ann", "hunter2");
        String basic = java.util.Base64.getEncoder().encodeToString("ann:hunter2".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThat(r.redact("raw p@ss word/& form p%40ss+word%2F%26 path p@ss%20word%2F& basic " + basic + " pw hunter2"))
                .isEqualTo("raw [redacted] form [redacted] path [redacted] basic [redacted] pw [redacted]");
    }

    @Test
    void addingASecretLeavesTheOriginalAsItWas() {
        Redactor base = Redactor.of(Map.of("A_TOKEN", "token-value-1"), List.of());
        Redactor call = base.withSecret("per-call-key");

        assertThat(call.redact("token-value-1 per-call-key")).isEqualTo("[redacted] [redacted]");
        assertThat(base.redact("token-value-1 per-call-key")).isEqualTo("[redacted] per-call-key");
        assertThat(base.withSecret("x")).isSameAs(base);
    }

    @Test
    void theEnvironmentsRedactorMasksTheEnvironmentsSecrets() {
        Redactor env = Redactor.fromEnvironment();
        System.getenv().forEach((name, value) -> {
            if (value.length() >= 6 && name.toUpperCase(java.util.Locale.ROOT).matches(".*(KEY|TOKEN|SECRET|PASSWORD).*")) {
                assertThat(env.redact("v=" + value)).doesNotContain(value);
            }
        });
        assertThat(env).isSameAs(Redactor.fromEnvironment());
    }
}
