package dev.troupe.agents.model;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Prices per million input and output tokens, by model name. The bundled table covers common
 * OpenAI models; {@link #with} and {@link #load} override or extend it.
 */
public final class PriceTable {
    /** US dollars per million tokens. */
    public record Price(double inputPerMillion, double outputPerMillion) {
        public Price {
            checkArgument(inputPerMillion >= 0 && outputPerMillion >= 0, "prices must be >= 0");
        }

        /** What {@code in} input and {@code out} output tokens cost, in dollars. */
        public double cost(long in, long out) {
            return (in * inputPerMillion + out * outputPerMillion) / 1_000_000.0;
        }
    }

    private static final PriceTable DEFAULTS = loadResource();
    private final ImmutableMap<String, Price> prices;
    /** Lookups already answered, by model name: the prefix search runs once per name. */
    private final Map<String, Optional<Price>> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    private PriceTable(Map<String, Price> prices) {
        this.prices = ImmutableMap.copyOf(prices);
    }

    /** The bundled prices of common OpenAI models. */
    public static PriceTable defaults() {
        return DEFAULTS;
    }

    /** A table that prices every call at zero, until {@link #with} adds models. */
    public static PriceTable empty() {
        return new PriceTable(Map.of());
    }

    /** A copy that prices {@code model} at these dollars per million input and output tokens. */
    public PriceTable with(String model, double inputPerMillion, double outputPerMillion) {
        Map<String, Price> m = new HashMap<>(prices);
        m.put(model, new Price(inputPerMillion, outputPerMillion));
        return new PriceTable(m);
    }

    /** This table overridden by a JSON file of the bundled form ({@code {"model": {"input": x, "output": y}}}). */
    public PriceTable load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, Price> m = new HashMap<>(prices);
            m.putAll(parse(in, file.toString()));
            return new PriceTable(m);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read price table " + file + ": " + e.getMessage(), e);
        }
    }

    /** The price of {@code model}: an exact entry, else the longest entry that prefixes it. */
    public Optional<Price> priceOf(String model) {
        Optional<Price> known = resolved.get(model);
        if (known != null) {
            return known;
        }
        Optional<Price> found = lookUp(model);
        if (resolved.size() < 10_000) {
            resolved.put(model, found);
        }
        return found;
    }

    private Optional<Price> lookUp(String model) {
        Price exact = prices.get(model);
        if (exact != null) {
            return Optional.of(exact);
        }
        String best = null;
        for (String k : prices.keySet()) {
            if (model.startsWith(k) && (best == null || k.length() > best.length())) {
                best = k;
            }
        }
        return Optional.ofNullable(best).map(prices::get);
    }

    private static PriceTable loadResource() {
        try (InputStream in = PriceTable.class.getResourceAsStream("prices.json")) {
            return new PriceTable(parse(in, "bundled prices.json"));
        } catch (IOException e) {
            throw new IllegalStateException("bundled prices.json is unreadable", e);
        }
    }

    private static Map<String, Price> parse(InputStream in, String where) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        Map<String, Price> m = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("_")) {
                continue;
            }
            JsonNode v = e.getValue();
            if (!v.path("input").isNumber() || !v.path("output").isNumber()) {
                throw new ConfigurationException(where + ": price of '" + e.getKey()
                        + "' needs numeric 'input' and 'output' (USD per million tokens)");
            }
            m.put(e.getKey(), new Price(v.get("input").asDouble(), v.get("output").asDouble()));
        }
        return m;
    }
}
