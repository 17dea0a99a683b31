package dev.troupe.agents.action.internal;

import com.google.common.collect.ImmutableSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An instruction with {@code {{variable}}} placeholders, e.g. {@code {{requirement}}},
 * {@code {{history}}}, {@code {{role.goal}}}, {@code {{WritePRD}}} or {@code {{WritePRD.title}}}.
 * It only finds and fills them: which variables exist and what each is bound to is
 * {@link TemplateVariables}'s.
 */
public final class PromptTemplate {
    private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_\\-]*(?:\\.[A-Za-z0-9_\\-]+)*)\\s*}}");
    private final String text;
    private final ImmutableSet<String> variables;
    private final ImmutableSet<String> roots;
    /** The text split at its placeholders: literal text at even indexes, variable names at odd ones. */
    private final String[] parts;

    public PromptTemplate(String text) {
        this.text = text;
        ImmutableSet.Builder<String> vars = ImmutableSet.builder();
        List<String> split = new ArrayList<>();
        Matcher m = VAR.matcher(text);
        int end = 0;
        while (m.find()) {
            vars.add(m.group(1));
            split.add(text.substring(end, m.start()));
            split.add(m.group(1));
            end = m.end();
        }
        split.add(text.substring(end));
        this.parts = split.toArray(String[]::new);
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
        StringBuilder sb = new StringBuilder(text.length() + 256);
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 0) {
                sb.append(parts[i]);
            } else {
                String name = parts[i];
                sb.append(lookup.apply(name).orElseThrow(() -> new IllegalArgumentException(name)));
            }
        }
        return sb.toString();
    }
}
