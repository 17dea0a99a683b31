package dev.troupe.roles;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.team.Team;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a team from YAML and chooses its model the way {@code troupe run} does: the model given here
 * ({@code --model}), else the file's {@code model:}, else a live model from the environment
 * ({@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL}, then {@code OLLAMA_BASE_URL}), else the file's
 * {@code offlineModel:}. Immutable: each setter returns a changed copy.
 *
 * <pre>{@code
 * Team team = Teams.load(Path.of("blog.yaml")).model("dry-run").build();
 * RunResult result = team.run("Java virtual threads");
 * }</pre>
 */
public final class Teams {
    /** The live model used when only {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set; {@code TROUPE_OPENAI_MODEL} overrides it. */
    public static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
    /** The live model used when only {@code OLLAMA_BASE_URL} is set; {@code TROUPE_OLLAMA_MODEL} overrides it. */
    public static final String DEFAULT_OLLAMA_MODEL = "llama3.1";

    private final TeamDefinition definition;
    private final Optional<String> model;
    private final ImmutableMap<String, String> environment;
    private final Optional<String> idea;
    private final ModelResolver resolver;

    private Teams(TeamDefinition definition, Optional<String> model, Map<String, String> environment, Optional<String> idea,
            ModelResolver resolver) {
        this.definition = definition;
        this.model = model;
        this.environment = ImmutableMap.copyOf(environment);
        this.idea = idea;
        this.resolver = resolver;
    }

    /** The team in a YAML file; a mistake in it is a {@link TeamDefinitionException} with file:line:column. */
    public static Teams load(Path file) {
        return of(TeamLoader.load(file));
    }

    /** The team {@code ref} names: {@code builtin:<name>}, a built-in team's bare name, or a path to a YAML file. */
    public static Teams load(String ref) {
        return of(TeamLoader.load(ref));
    }

    /** A built-in team ({@link TeamLoader#builtinNames()}), e.g. {@code software-company}. */
    public static Teams builtin(String name) {
        return of(TeamLoader.builtin(name));
    }

    /** A team already loaded, e.g. by {@link TeamLoader#parse}. */
    public static Teams of(TeamDefinition definition) {
        Map<String, String> env = System.getenv();
        return new Teams(definition, Optional.empty(), env, Optional.empty(), ModelResolver.withEnv(env));
    }

    /**
     * Runs the team on {@code spec} ({@code openai:<model>}, {@code ollama:<model>}, {@code scripted:<file>},
     * {@code replay:<file>} or {@code dry-run}) whatever the file and the environment say; paths are relative to the
     * working directory.
     */
    public Teams model(String spec) {
        Preconditions.checkArgument(spec != null && !spec.isBlank(),
                "a model spec is required, e.g. dry-run or openai:gpt-4o-mini, but was '%s'", spec);
        return new Teams(definition, Optional.of(spec), environment, idea, resolver);
    }

    /** Reads API keys and base URLs from {@code env} instead of the process environment. */
    public Teams environment(Map<String, String> env) {
        return new Teams(definition, model, env, idea, ModelResolver.withEnv(env));
    }

    /** Resolves model specs with {@code resolver}, e.g. one that knows a provider built in a test. */
    public Teams resolver(ModelResolver resolver) {
        return new Teams(definition, model, environment, idea, resolver);
    }

    /**
     * The requirement the team will run on: when the choice falls to the offline model, which only answers the team's
     * sample idea, another idea is refused here instead of failing mid-run.
     */
    public Teams idea(String requirement) {
        return new Teams(definition, model, environment, Optional.of(requirement), resolver);
    }

    public TeamDefinition definition() {
        return definition;
    }

    public ModelResolver resolver() {
        return resolver;
    }

    /** The model this team runs on; a {@link ConfigurationException} says what to configure when there is none. */
    public ModelChoice chooseModel() {
        if (model.isPresent()) {
            return new ModelChoice(resolver.resolve(model.get()), model.get(), ModelChoice.Origin.GIVEN);
        }
        if (definition.model().isPresent()) {
            String spec = definition.model().get();
            return new ModelChoice(definition.resolve(spec, resolver), spec, ModelChoice.Origin.TEAM);
        }
        Optional<String> live = environment.containsKey("OPENAI_API_KEY") || environment.containsKey("OPENAI_BASE_URL")
                ? Optional.of("openai:" + environment.getOrDefault("TROUPE_OPENAI_MODEL", DEFAULT_OPENAI_MODEL))
                : environment.containsKey("OLLAMA_BASE_URL")
                ? Optional.of("ollama:" + environment.getOrDefault("TROUPE_OLLAMA_MODEL", DEFAULT_OLLAMA_MODEL))
                : Optional.empty();
        if (live.isPresent()) {
            return new ModelChoice(resolver.resolve(live.get()), live.get(), ModelChoice.Origin.ENVIRONMENT);
        }
        if (definition.offlineModel().isEmpty()) {
            throw new ConfigurationException("Team '" + definition.name() + "' has no model: pass --model SPEC (Teams.model(SPEC) in Java),"
                    + " add 'model:' to " + definition.source().displayName() + ", or set OPENAI_API_KEY (and optionally OPENAI_BASE_URL)"
                    + " or OLLAMA_BASE_URL. --model dry-run (Teams.model(\"dry-run\")) checks the team's wiring without a model.");
        }
        Optional<String> sample = definition.idea();
        if (idea.isPresent() && sample.isPresent() && !idea.get().equals(sample.get())) {
            throw new ConfigurationException("No model is configured, and the offline model of '" + definition.name()
                    + "' only answers its sample idea (\"" + sample.get() + "\"). Set OPENAI_API_KEY (and optionally"
                    + " OPENAI_BASE_URL) or OLLAMA_BASE_URL, or pass --model dry-run (Teams.model(\"dry-run\")) to check the team's wiring.");
        }
        String spec = definition.offlineModel().get();
        return new ModelChoice(definition.resolve(spec, resolver), spec, ModelChoice.Origin.OFFLINE);
    }

    /** A builder with the team's roles, budget and limits on the chosen model, to add a workspace, listeners or a journal. */
    public Team.Builder builder() {
        return definition.toBuilder(chooseModel().backend(), resolver);
    }

    /** The runnable team on the chosen model. */
    public Team build() {
        return builder().build();
    }
}
