package dev.troupe.agents.model;

import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.model.offline.DryRunModel;
import dev.troupe.agents.model.offline.ReplayModel;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.error.ConfigurationException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns model specs into backends at the edge (CLI, YAML): {@code dry-run}, {@code scripted:<file>},
 * {@code replay:<file>}, and whatever {@link ModelProvider}s are on the class path
 * ({@code openai:<model>}, {@code ollama:<model>} with troupe-providers). Backends are cached per spec.
 */
public final class ModelResolver {
    private final ImmutableMap<String, ModelProvider> providers;
    private final Map<String, String> env;
    private final Path baseDir;
    private final Map<String, ModelBackend> cache = new ConcurrentHashMap<>();

    private ModelResolver(Map<String, ModelProvider> providers, Map<String, String> env, Path baseDir) {
        this.providers = ImmutableMap.copyOf(providers);
        this.env = ImmutableMap.copyOf(env);
        this.baseDir = baseDir;
    }

    /** The offline specs plus every provider found on the class path, reading the process environment. */
    public static ModelResolver standard() {
        return withEnv(System.getenv());
    }

    /** A resolver that reads API keys and base URLs from {@code env} instead of the process environment. */
    public static ModelResolver withEnv(Map<String, String> env) {
        Map<String, ModelProvider> found = new HashMap<>();
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class)) {
            found.put(p.scheme(), p);
        }
        return new ModelResolver(found, env, Path.of(""));
    }

    /** A resolver that reads relative {@code scripted:} and {@code replay:} paths against {@code dir}. */
    public ModelResolver relativeTo(Path dir) {
        return new ModelResolver(providers, env, dir);
    }

    /** A resolver that also knows {@code provider}, e.g. one built in a test. */
    public ModelResolver with(ModelProvider provider) {
        Map<String, ModelProvider> m = new HashMap<>(providers);
        m.put(provider.scheme(), provider);
        return new ModelResolver(m, env, baseDir);
    }

    /**
     * The backend of {@code spec} (e.g. {@code openai:gpt-4o-mini}, {@code dry-run}).
     *
     * @throws dev.troupe.agents.error.ConfigurationException when the spec is empty, malformed or of an unknown scheme, saying which schemes there are
     */
    public ModelBackend resolve(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new ConfigurationException("Empty model spec. " + usage());
        }
        return cache.computeIfAbsent(spec.trim(), this::create);
    }

    private ModelBackend create(String spec) {
        if (spec.equals(DryRunModel.SPEC)) {
            return new DryRunModel();
        }
        int colon = spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new ConfigurationException("Model spec '" + spec + "' has no '<scheme>:<name>' form. " + usage());
        }
        String scheme = spec.substring(0, colon);
        String rest = spec.substring(colon + 1);
        return switch (scheme) {
            case "scripted" -> ScriptedModel.load(baseDir.resolve(rest), spec);
            case "replay" -> ReplayModel.load(baseDir.resolve(rest), spec);
            default -> {
                ModelProvider p = providers.get(scheme);
                if (p == null) {
                    throw new ConfigurationException("Unknown model scheme '" + scheme + "' in spec '" + spec + "'. " + usage()
                            + (scheme.equals("openai") || scheme.equals("ollama")
                            ? " Add the troupe-providers module to the class path for " + scheme + "." : ""));
                }
                yield p.create(rest, env);
            }
        };
    }

    private String usage() {
        TreeSet<String> schemes = new TreeSet<>(providers.keySet());
        return "Known specs: dry-run, scripted:<file.yaml>, replay:<cassette.jsonl>"
                + (schemes.isEmpty() ? "" : ", " + String.join(", ", schemes.stream().map(s -> s + ":<model>").toList())) + ".";
    }
}
