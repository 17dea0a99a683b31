package dev.troupe.tools.http;

import com.google.common.net.UrlEscapers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Scrubs the secrets of one call — in every encoding they travel in — out of any text leaving the
 * executor: observations, log lines, exception messages, even a response body that echoes them back.
 */
final class Redactor {
    static final String MASK = "[REDACTED]";
    private final Set<String> secrets = new LinkedHashSet<>();

    void add(String secret) {
        if (secret == null || secret.length() < 2) {
            return;
        }
        secrets.add(secret);
        secrets.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        secrets.add(UrlEscapers.urlFormParameterEscaper().escape(secret));
        secrets.add(UrlEscapers.urlPathSegmentEscaper().escape(secret));
    }

    void addBasic(String user, String password) {
        add(password);
        add(Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.ISO_8859_1)));
    }

    String scrub(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        // Longest first, so an encoded form that contains the raw secret is masked whole.
        for (String secret : secrets.stream().sorted((a, b) -> b.length() - a.length()).toList()) {
            out = out.replace(secret, MASK);
        }
        return out;
    }
}
