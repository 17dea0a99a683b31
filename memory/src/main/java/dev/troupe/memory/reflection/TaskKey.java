package dev.troupe.memory.reflection;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names one task whose reflections are kept: given explicitly (a role's {@code reflection.key}), or
 * derived with {@link #derive} so the same goal, phrased with other case, spacing or punctuation,
 * finds the same lessons.
 */
public record TaskKey(String value) {
    /** Keys longer than this are refused; derived keys stay well below it. */
    public static final int MAX_LENGTH = 200;

    private static final int SLUG_LENGTH = 40;
    private static final int HASH_HEX_CHARS = 12;
    private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public TaskKey {
        checkArgument(value != null && !value.isBlank(), "task key must not be blank but was '%s'", value);
        checkArgument(value.length() <= MAX_LENGTH, "task key must be at most %s characters but was %s: '%s…'",
                MAX_LENGTH, value.length(), value.substring(0, Math.min(40, value.length())));
        checkArgument(value.strip().equals(value), "task key must not start or end with whitespace: '%s'", value);
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("task key must not contain control characters: '"
                    + value.replaceAll("\\p{Cntrl}", "?") + "'");
        }
    }

    /** An explicit key, e.g. from YAML {@code reflection: {key: checkout-flow}}. */
    public static TaskKey of(String value) {
        return new TaskKey(value);
    }

    /**
     * The key of a goal pursued by one action of one role in one team:
     * {@code team/role/action/<goal slug>-<hash>}, where the slug is the start of the normalised
     * goal and the hash covers all of it, so long goals that differ only at the end stay apart.
     */
    public static TaskKey derive(String team, String role, String action, String goal) {
        checkArgument(goal != null && !goal.isBlank(), "goal must not be blank to derive a task key (team '%s', role '%s', action '%s')",
                team, role, action);
        String normalisedGoal = normalize(goal);
        String hash = Hashing.sha256().hashString(normalisedGoal, StandardCharsets.UTF_8).toString()
                .substring(0, HASH_HEX_CHARS);
        String slug = slug(normalisedGoal);
        return new TaskKey(part("team", team) + "/" + part("role", role) + "/" + part("action", action) + "/"
                + (slug.isEmpty() ? hash : slug + "-" + hash));
    }

    /**
     * The form under which two phrasings of a goal count as the same task: Unicode NFKC, lower case,
     * punctuation dropped (replaced by a space, so {@code snake-game} equals {@code snake game}),
     * whitespace collapsed to single spaces and trimmed.
     */
    public static String normalize(String text) {
        checkArgument(text != null, "text to normalise must not be null");
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll(" ");
        return WHITESPACE.matcher(s).replaceAll(" ").strip();
    }

    private static String part(String what, String name) {
        checkArgument(name != null && !name.isBlank(), "%s must not be blank to derive a task key but was '%s'", what, name);
        String normalised = normalize(name).replace(' ', '-');
        checkArgument(!normalised.isEmpty(), "%s '%s' has no letters or digits to build a task key from", what, name);
        return normalised;
    }

    private static String slug(String normalisedGoal) {
        String dashed = normalisedGoal.replace(' ', '-');
        if (dashed.length() <= SLUG_LENGTH) {
            return dashed;
        }
        String cut = dashed.substring(0, SLUG_LENGTH);
        // End on a word boundary when one is near, so the slug stays readable in `troupe memory list`.
        int lastDash = cut.lastIndexOf('-');
        return lastDash >= SLUG_LENGTH / 2 ? cut.substring(0, lastDash) : cut;
    }

    @Override
    public String toString() {
        return value;
    }
}
