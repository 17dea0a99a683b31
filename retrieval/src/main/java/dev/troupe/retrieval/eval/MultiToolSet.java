package dev.troupe.retrieval.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A development set of requests that need several tools, made from single-tool StableToolBench files:
 * each request joins two or three of a file's requests that name different tools (and, where the file
 * allows, different categories), its {@code api_list} is theirs merged and its {@code relevant APIs} are
 * theirs united. Every request of the source file is used exactly once, so the corpus of a written file is
 * its source file's corpus, and the order is fixed by {@link #SEED}: the same input always gives the same
 * set. The output has the source format, so {@link RetrievalEval} scores it as it scores a G1 file.
 */
public final class MultiToolSet {
    /** Fixed, so the set is the same on every machine and run. */
    public static final long SEED = 18;
    /** The prefix of a written file's name: {@code multi_G1_instruction.json} comes from {@code G1_instruction.json}. */
    public static final String PREFIX = "multi_";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MultiToolSet() {
    }

    /** Writes one multi-tool file per source file into {@code directory}; returns their paths in the same order. */
    public static List<Path> write(List<Path> sources, Path directory) {
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (Path source : sources) {
                Path target = directory.resolve(PREFIX + source.getFileName());
                MAPPER.writerWithDefaultPrettyPrinter().writeValue(target.toFile(), compose(RetrievalEval.queryList(source)));
                out.add(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the multi-tool set into " + directory + " failed", e);
        }
        return out;
    }

    /**
     * The composed requests of one source list: shuffled with {@link #SEED}, then taken in groups of two or
     * three (drawn from the same random source), a request joining a group only when its tool (and, if any
     * candidate allows, its category) differs from the group's.
     */
    static ArrayNode compose(JsonNode source) {
        List<JsonNode> pool = new ArrayList<>();
        source.forEach(pool::add);
        Random random = new Random(SEED);
        Collections.shuffle(pool, random);
        ArrayNode out = MAPPER.createArrayNode();
        int id = 0;
        while (pool.size() >= 2) {
            int size = pool.size() == 3 || (pool.size() > 4 && random.nextBoolean()) ? 3 : 2;
            List<JsonNode> group = new ArrayList<>();
            group.add(pool.remove(0));
            while (group.size() < size && !pool.isEmpty()) {
                group.add(pool.remove(pick(pool, group)));
            }
            out.add(merge(group, id++));
        }
        if (!pool.isEmpty()) {
            // An odd one out joins the last request rather than being dropped, so the corpus stays the source's.
            List<JsonNode> last = new ArrayList<>(parts((ObjectNode) out.get(out.size() - 1)));
            last.add(pool.remove(0));
            out.set(out.size() - 1, merge(last, id - 1));
        }
        return out;
    }

    /** The first request of the pool on another tool and category than the group's, else on another tool, else the first. */
    private static int pick(List<JsonNode> pool, List<JsonNode> group) {
        int otherTool = -1;
        for (int i = 0; i < pool.size(); i++) {
            boolean toolFree = Collections.disjoint(tools(pool.get(i)), group.stream().flatMap(g -> tools(g).stream()).toList());
            boolean categoryFree = Collections.disjoint(categories(pool.get(i)), group.stream().flatMap(g -> categories(g).stream()).toList());
            if (toolFree && categoryFree) {
                return i;
            }
            if (toolFree && otherTool < 0) {
                otherTool = i;
            }
        }
        return Math.max(0, otherTool);
    }

    private static Set<String> tools(JsonNode q) {
        Set<String> out = new HashSet<>();
        q.path("relevant APIs").forEach(pair -> out.add(pair.path(0).asText()));
        return out;
    }

    private static Set<String> categories(JsonNode q) {
        Set<String> out = new HashSet<>();
        q.path("api_list").forEach(api -> out.add(api.path("category_name").asText()));
        return out;
    }

    private static final String PARTS = "parts";

    private static ObjectNode merge(List<JsonNode> group, int id) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("query_id", "multi-" + id);
        StringBuilder text = new StringBuilder();
        Map<String, JsonNode> apis = new LinkedHashMap<>();
        Map<String, JsonNode> relevant = new LinkedHashMap<>();
        ArrayNode parts = MAPPER.createArrayNode();
        for (JsonNode q : group) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(q.path("query").asText().strip());
            q.path("api_list").forEach(api -> apis.putIfAbsent(api.path("tool_name").asText() + "\u0000" + api.path("api_name").asText(), api));
            q.path("relevant APIs").forEach(pair -> relevant.putIfAbsent(pair.path(0).asText() + "\u0000" + pair.path(1).asText(), pair));
            parts.add(q);
        }
        out.put("query", text.toString());
        out.set("api_list", MAPPER.createArrayNode().addAll(apis.values()));
        out.set("relevant APIs", MAPPER.createArrayNode().addAll(relevant.values()));
        out.set(PARTS, parts);
        return out;
    }

    private static List<JsonNode> parts(ObjectNode composed) {
        List<JsonNode> out = new ArrayList<>();
        composed.path(PARTS).forEach(out::add);
        return out;
    }
}
