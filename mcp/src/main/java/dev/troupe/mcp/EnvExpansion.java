package dev.troupe.mcp;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.roles.tools.McpServerDefinition;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Replaces {@code ${NAME}} in an MCP server's command, URL, env and headers by the environment variable. */
final class EnvExpansion {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Function<String, String> environment = System::getenv;

    private EnvExpansion() {}

    static String expand(String text, McpServerDefinition server) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                throw new ConfigurationException("MCP server '" + server.name() + "' (" + server.location() + ") uses ${" + m.group(1)
                        + "}, which is not set; export " + m.group(1) + " before the run");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    static List<String> expand(List<String> texts, McpServerDefinition server) {
        return texts.stream().map(t -> expand(t, server)).collect(ImmutableList.toImmutableList());
    }

    static Map<String, String> expand(Map<String, String> values, McpServerDefinition server) {
        ImmutableMap.Builder<String, String> out = ImmutableMap.builder();
        values.forEach((k, v) -> out.put(k, expand(v, server)));
        return out.build();
    }
}
