package dev.troupe.agents.action;

import com.google.common.collect.ImmutableSet;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An instruction with {@code {{variable}}} placeholders, e.g. {@code {{requirement}}},
 * {@code {{history}}}, {@code {{role.goal}}}, {@code {{WritePRD}}} or {@code {{WritePRD.title}}}.
 */
public final class PromptTemplate {
    private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_\\-]*(?:\\.[A-Za-z0-9_\\-]+)*)\\s*}}");
    private final String text;
    private final ImmutableSet<String> variables;
    private final ImmutableSet<String> roots;

    public PromptTemplate(String text) {
        this.text = text;
        ImmutableSet.Builder<String> vars = ImmutableSet.builder();
        Matcher m = VAR.matcher(text);
        while (m.find()) {
            vars.add(m.group(1));
        }
        this.variables = vars.build();
        this.roots = variables.stream().map(v -> v.contains(".") ? v.substring(0, v.indexOf('.')) : v)
                .collect(ImmutableSet.toImmutableSet());
    }

    public String text() {
        return text;
    }

    /** The variables the template uses, in order of first use. */
    public ImmutableSet<String> variables() {
        return variables;
    }

    /** The first segment of each variable ({@code WritePRD} for {@code WritePRD.title}). */
    public ImmutableSet<String> roots() {
        return roots;
    }

    /**
     * Fills every placeholder; {@code lookup} returns empty for a variable it does not know, which
     * is reported as an error naming the variable.
     */
    public String render(Function<String, Optional<String>> lookup) {
        if (variables.isEmpty()) {
            return text;
        }
        Matcher m = VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = lookup.apply(name).orElseThrow(() -> new IllegalArgumentException(name));
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
