package dev.troupe.tools.virtual;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.collect.ImmutableList;
import dev.troupe.tools.error.SpecException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scripted answers for the virtual API server, first match wins; load them from a JSON or YAML file
 * ({@code [{function, when: {arg: value}, status, body}]}) or build them in code.
 */
public final class Fixtures {
    private final List<Fixture> fixtures;

    private Fixtures(List<Fixture> fixtures) {
        this.fixtures = ImmutableList.copyOf(fixtures);
    }

    public static Fixtures none() {
        return new Fixtures(List.of());
    }

    public static Fixtures of(List<Fixture> fixtures) {
        return new Fixtures(fixtures);
    }

    public static Fixtures load(Path file) {
        String name = file.getFileName().toString();
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new SpecException(file.toString(), "fixtures cannot be read (" + e.getMessage() + ")",
                    "fix the file: a list of {function, when, status, body}", e);
        }
        if (root == null || !root.isArray()) {
            throw new SpecException(file, "fixtures must be a list", "write a list of {function, when, status, body}");
        }
        ImmutableList.Builder<Fixture> out = ImmutableList.builder();
        int index = 0;
        for (JsonNode f : root) {
            if (!f.path("function").isTextual()) {
                throw new SpecException(file, "fixture [" + index + "] has no 'function'", "name the function it answers for");
            }
            Map<String, String> when = new LinkedHashMap<>();
            f.path("when").fields().forEachRemaining(e -> when.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            out.add(new Fixture(f.get("function").asText(), when, f.path("status").asInt(200), f.get("body")));
            index++;
        }
        return new Fixtures(out.build());
    }

    Optional<Fixture> match(String function, Map<String, JsonNode> arguments) {
        return fixtures.stream().filter(f -> f.matches(function, arguments)).findFirst();
    }

    public List<Fixture> all() {
        return fixtures;
    }
}
