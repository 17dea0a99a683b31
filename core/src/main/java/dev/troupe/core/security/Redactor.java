package dev.troupe.core.security;

import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableList;
import com.google.common.net.UrlEscapers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is written anywhere (traces, journals, cassettes, reports, console,
 * observations, error messages): the values of secret-looking environment variables, the credentials of a
 * tool call in every encoding they travel in, {@code Authorization} headers, bearer tokens and passwords
 * in URLs. Immutable: {@link #withSecret} gives a redactor that also masks one more value.
 */
public final class Redactor {
    public static final String MASK = "[redacted]";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH).*");
    /** Shorter values of secret-looking variables are flags and ids, not secrets, and would mask common words. */
    private static final int MIN_ENVIRONMENT_SECRET_LENGTH = 6;
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s:@]+):([^@\\s/]+)@");
    private static final Pattern AUTH_HEADER =
            Pattern.compile("(?i)(authorization\"?\\s*[:=]\\s*\"?)(?:(?:basic|bearer|token)\\s+)?[^\\s\",}]+");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");

    private static final Redactor NONE = new Redactor(List.of());
    // The environment of a JVM does not change, so it is read once.
    private static final Supplier<Redactor> ENVIRONMENT = Suppliers.memoize(() -> of(System.getenv(), List.of()));

    private final ImmutableList<String> secrets;

    private Redactor(List<String> secrets) {
        // Longest first, so a secret that contains another (or an encoded form that contains the raw one) is masked whole.
        this.secrets = secrets.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed())
                .collect(ImmutableList.toImmutableList());
    }

    /** Masks only the patterns (Authorization headers, bearer tokens, URL passwords), no values. */
    public static Redactor none() {
        return NONE;
    }

    /** A redactor for the values of every secret-looking variable in {@code env}, plus {@code extra}. */
    public static Redactor of(Map<String, String> env, List<String> extra) {
        List<String> values = new ArrayList<>(extra);
        env.forEach((name, value) -> {
            if (value != null && SECRET_NAME.matcher(name).matches()) {
                values.add(value);
            }
        });
        return new Redactor(values.stream().filter(v -> v.length() >= MIN_ENVIRONMENT_SECRET_LENGTH).toList());
    }

    /** The redactor of this process's environment: what a team, a journal or a writer masks unless given another. */
    public static Redactor fromEnvironment() {
        return ENVIRONMENT.get();
    }

    /**
     * This redactor, also masking {@code secret} raw and URL-, form- and path-encoded (a credential of one call is
     * known to be secret however short, so only empty and one-character values are skipped).
     */
    public Redactor withSecret(String secret) {
        if (secret == null || secret.length() < 2) {
            return this;
        }
        List<String> values = new ArrayList<>(secrets);
        values.add(secret);
        values.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        values.add(UrlEscapers.urlFormParameterEscaper().escape(secret));
        values.add(UrlEscapers.urlPathSegmentEscaper().escape(secret));
        return new Redactor(values);
    }

    /** This redactor, also masking {@code password} and the HTTP Basic form of {@code user:password}. */
    public Redactor withBasicCredential(String user, String password) {
        return withSecret(password)
                .withSecret(Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** {@code text} with every secret replaced by {@link #MASK}; null and empty text come back as they are. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        out = URL_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        out = AUTH_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        return out;
    }
}
