package dev.troupe.roles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.troupe.agents.json.internal.Strings;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node that knows its file, line and column, so every mistake in a team file can be
 * reported where it is. Mappings are checked against the keys they allow.
 */
final class YamlNode {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final Node node;
    private final String file;
    private final String path;

    private YamlNode(Node node, String file, String path) {
        this.node = node;
        this.file = file;
        this.path = path;
    }

    static YamlNode parse(String text, String file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(10 * 1024 * 1024);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = m == null ? file : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            throw new TeamDefinitionException(where + ": not valid YAML: " + e.getProblem()
                    + (e.getContext() != null ? " (" + e.getContext() + ")" : ""), e);
        } catch (YAMLException e) {
            throw new TeamDefinitionException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            throw new TeamDefinitionException(file + ": the file is empty; a team needs at least 'name:' and 'roles:'");
        }
        return new YamlNode(root, file, "");
    }

    String location() {
        Mark m = node.getStartMark();
        return m == null ? file : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
    }

    String path() {
        return path.isEmpty() ? "(top level)" : path;
    }

    TeamDefinitionException error(String what) {
        return new TeamDefinitionException(location() + ": " + what + " (at " + path() + ")");
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    boolean isSequence() {
        return node instanceof SequenceNode;
    }

    boolean isScalar() {
        return node instanceof ScalarNode;
    }

    /** This mapping's entries, after checking every key is one of {@code allowed}. */
    Map<String, YamlNode> mapping(Set<String> allowed) {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping (key: value lines) with keys " + sorted(allowed) + ", found " + kind());
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlNode(t.getKeyNode(), file, path).error("keys must be plain words");
            }
            String key = k.getValue();
            YamlNode value = new YamlNode(t.getValueNode(), file, path.isEmpty() ? key : path + "." + key);
            if (!allowed.contains(key)) {
                String near = Strings.nearest(key, allowed);
                throw new YamlNode(k, file, path).error("unknown key '" + key + "'"
                        + (near == null ? "" : " (did you mean '" + near + "'?)") + "; valid keys here: " + sorted(allowed));
            }
            if (out.containsKey(key)) {
                // compose() does not check duplicates (only SnakeYAML's constructor does), so check them here
                throw new YamlNode(k, file, path).error("duplicate key '" + key + "'; give each key once");
            }
            out.put(key, value);
        }
        return out;
    }

    List<YamlNode> list() {
        if (!(node instanceof SequenceNode s)) {
            throw error("expected a list (lines starting with '- '), found " + kind());
        }
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
            out.add(new YamlNode(s.getValue().get(i), file, path + "[" + i + "]"));
        }
        return out;
    }

    /** A list of words; a single word is accepted as a one-element list. */
    ImmutableList<String> stringList() {
        if (node instanceof ScalarNode) {
            return ImmutableList.of(string());
        }
        return list().stream().map(YamlNode::string).collect(ImmutableList.toImmutableList());
    }

    /** A mapping of any plain keys to text values, e.g. a process's environment or HTTP headers. */
    com.google.common.collect.ImmutableMap<String, String> stringMap() {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping (key: value lines), found " + kind());
        }
        com.google.common.collect.ImmutableMap.Builder<String, String> out = com.google.common.collect.ImmutableMap.builder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlNode(t.getKeyNode(), file, path).error("keys must be plain words");
            }
            if (!seen.add(k.getValue())) {
                throw new YamlNode(k, file, path).error("duplicate key '" + k.getValue() + "'; give each key once");
            }
            out.put(k.getValue(), new YamlNode(t.getValueNode(), file, path + "." + k.getValue()).string());
        }
        return out.build();
    }

    String string() {
        if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
            throw error("expected text, found " + kind());
        }
        return s.getValue();
    }

    int integer() {
        String s = string();
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw error("expected a whole number, found '" + s + "'");
        }
    }

    long longValue() {
        String s = string().replace("_", "");
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw error("expected a whole number, found '" + s + "'");
        }
    }

    double decimal() {
        String s = string();
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw error("expected a number, found '" + s + "'");
        }
    }

    boolean bool() {
        String s = string().trim().toLowerCase();
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("expected true or false, found '" + s + "'");
        };
    }

    Duration duration() {
        String s = string().trim();
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
            } catch (NumberFormatException notSeconds) {
                throw error("expected a duration such as PT30M, PT90S or a number of seconds, found '" + s + "'");
            }
        }
    }

    /** The node as JSON (for inline JSON Schemas), keeping YAML's scalar types. */
    JsonNode toJson() {
        return toJson(node, path);
    }

    private JsonNode toJson(Node n, String at) {
        if (n instanceof MappingNode m) {
            ObjectNode o = F.objectNode();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw new YamlNode(t.getKeyNode(), file, at).error("keys of a JSON Schema must be plain words");
                }
                o.set(k.getValue(), toJson(t.getValueNode(), at + "." + k.getValue()));
            }
            return o;
        }
        if (n instanceof SequenceNode s) {
            ArrayNode a = F.arrayNode();
            for (int i = 0; i < s.getValue().size(); i++) {
                a.add(toJson(s.getValue().get(i), at + "[" + i + "]"));
            }
            return a;
        }
        ScalarNode s = (ScalarNode) n;
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return F.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            // YAML 1.1 booleans: true/false, yes/no, on/off
            String v = s.getValue().toLowerCase(Locale.ROOT);
            return F.booleanNode(v.equals("true") || v.equals("yes") || v.equals("on"));
        }
        try {
            if (tag.equals(Tag.INT)) {
                return F.numberNode(yamlInteger(s.getValue()));
            }
            if (tag.equals(Tag.FLOAT)) {
                return F.numberNode(new BigDecimal(s.getValue().replace("_", "")));
            }
        } catch (NumberFormatException e) {
            throw new YamlNode(n, file, at).error("'" + s.getValue() + "' is not a number JSON can hold; quote it or write a decimal number");
        }
        return F.textNode(s.getValue());
    }

    /** YAML 1.1 integers: decimal, 0x hex, 0o/0 octal, 0b binary, with _ separators and a sign. */
    private static java.math.BigInteger yamlInteger(String text) {
        String v = text.replace("_", "");
        boolean negative = v.startsWith("-");
        if (v.startsWith("-") || v.startsWith("+")) {
            v = v.substring(1);
        }
        java.math.BigInteger value;
        if (v.startsWith("0x") || v.startsWith("0X")) {
            value = new java.math.BigInteger(v.substring(2), 16);
        } else if (v.startsWith("0b") || v.startsWith("0B")) {
            value = new java.math.BigInteger(v.substring(2), 2);
        } else if (v.startsWith("0o") || v.startsWith("0O")) {
            value = new java.math.BigInteger(v.substring(2), 8);
        } else if (v.length() > 1 && v.startsWith("0") && v.chars().allMatch(Character::isDigit)) {
            value = new java.math.BigInteger(v.substring(1), 8);
        } else if (v.contains(":")) {
            throw new NumberFormatException("sexagesimal");
        } else {
            value = new java.math.BigInteger(v);
        }
        return negative ? value.negate() : value;
    }

    private String kind() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        return s.getTag().equals(Tag.NULL) ? "nothing" : "'" + s.getValue() + "'";
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", new TreeSet<>(keys));
    }

    static Optional<YamlNode> get(Map<String, YamlNode> m, String key) {
        return Optional.ofNullable(m.get(key));
    }
}
