package dev.troupe.tools.function;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ToolBench's naming rules: {@code {api}_for_{tool}}, each part normalised to {@code [a-z0-9_]}, the
 * last 64 characters kept (as ToolBench does, so the tool suffix that tells same-named APIs apart
 * survives), and an {@link Allocator} that makes names unique within a catalog.
 */
public final class FunctionNames {
    /** The longest function name the OpenAI-style tool APIs accept. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern NON_STANDARD = Pattern.compile("[^a-zA-Z0-9_]");
    private static final Pattern UNDERSCORES = Pattern.compile("_+");
    private static final Set<String> RESERVED = Set.of("from", "class", "return", "false", "true", "id", "and");

    private FunctionNames() {
    }

    /**
     * ToolBench's {@code standardize}: non-identifier characters become {@code _}, runs collapse, ends
     * are trimmed, the result is lower-cased and gets {@code get_} in front of a leading digit. Unlike
     * ToolBench, CJK characters are replaced too, so names stay within {@code [a-z0-9_]}; a name with no
     * usable character at all becomes {@code fallback} plus a short hash of the original.
     */
    public static String standardize(String raw, String fallback) {
        String s = UNDERSCORES.matcher(NON_STANDARD.matcher(raw == null ? "" : raw).replaceAll("_")).replaceAll("_");
        s = trimUnderscores(s).toLowerCase(java.util.Locale.ROOT);
        if (s.isEmpty()) {
            return fallback + "_" + Hashing.murmur3_32_fixed().hashString(raw == null ? "" : raw, StandardCharsets.UTF_8);
        }
        return Character.isDigit(s.charAt(0)) ? "get_" + s : s;
    }

    /** ToolBench's {@code change_name}: names that shadow Python keywords (and {@code id}) get {@code is_} in front. */
    public static String changeName(String name) {
        return RESERVED.contains(name) ? "is_" + name : name;
    }

    /** The ToolBench function name of an API, before de-duplication. */
    public static String functionName(String apiName, String toolName) {
        String full = changeName(standardize(apiName, "api")) + "_for_" + standardize(toolName, "tool");
        return lastChars(full, MAX_LENGTH);
    }

    /** The function argument name of a parameter (ToolBench standardises parameter names the same way). */
    public static String argumentName(String paramName) {
        return changeName(standardize(paramName, "param"));
    }

    static String lastChars(String s, int max) {
        return s.length() <= max ? s : s.substring(s.length() - max);
    }

    private static String trimUnderscores(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '_') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '_') {
            end--;
        }
        return s.substring(start, end);
    }

    /**
     * Hands out unique names in call order: the first taker of a name keeps it, later ones get
     * {@code _2}, {@code _3}… (still within {@code maxLength}), so names are stable for a stable input order.
     */
    public static final class Allocator {
        private final Set<String> taken = new HashSet<>();
        private final int maxLength;

        public Allocator(int maxLength) {
            this.maxLength = maxLength;
        }

        public Allocator() {
            this(MAX_LENGTH);
        }

        /** Marks a name handed out earlier (in an earlier import) as taken. */
        public void reserve(String name) {
            taken.add(name);
        }

        /** Frees a name whose function is gone, so the same endpoint imported again gets it back. */
        public void release(String name) {
            taken.remove(name);
        }

        public String allocate(String wanted) {
            String name = lastChars(wanted, maxLength);
            for (int n = 2; !taken.add(name); n++) {
                name = lastChars(wanted + "_" + n, maxLength);
            }
            return name;
        }
    }
}
