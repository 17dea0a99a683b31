package dev.troupe.agents.security;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is written anywhere (traces, reports, cassettes, console,
 * error messages): the values of secret-looking environment variables, {@code Authorization}
 * headers, bearer tokens and passwords in URLs.
 */
public final class Redactor {
    public static final String MASK = "[redacted]";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH).*");
    private static final int MIN_SECRET_LENGTH = 6;
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s:@]+):([^@\\s/]+)@");
    private static final Pattern AUTH_HEADER =
            Pattern.compile("(?i)(authorization\"?\\s*[:=]\\s*\"?)(?:(?:basic|bearer|token)\\s+)?[^\\s\",}]+");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");

    private static final Redactor NONE = new Redactor(List.of());
    private static volatile Redactor global = NONE;

    private final ImmutableList<String> secrets;

    private Redactor(List<String> secrets) {
        // Longest first, so a secret that contains another is masked whole.
        this.secrets = secrets.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed())
                .collect(ImmutableList.toImmutableList());
    }

    /** A redactor for the values of every secret-looking variable in {@code env}, plus {@code extra}. */
    public static Redactor of(Map<String, String> env, List<String> extra) {
        List<String> values = new ArrayList<>(extra);
        env.forEach((name, value) -> {
            if (value != null && value.length() >= MIN_SECRET_LENGTH && SECRET_NAME.matcher(name).matches()) {
                values.add(value);
            }
        });
        return new Redactor(values.stream().filter(v -> v.length() >= MIN_SECRET_LENGTH).toList());
    }

    /** The process-wide redactor used by Troupe's writers; {@link #install} sets it, at start-up. */
    public static Redactor global() {
        return global;
    }

    /** Makes {@code r} the process-wide redactor. */
    public static void install(Redactor r) {
        global = r;
    }

    /** Installs a redactor for this process's environment. */
    public static Redactor installFromEnvironment() {
        Redactor r = of(System.getenv(), List.of());
        install(r);
        return r;
    }

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
