package dev.troupe.agents.json.internal;

import dev.troupe.core.text.EditDistance;
import java.util.Collection;

/** Edit-distance suggestions for misspelt keys and names. */
public final class Strings {
    private Strings() {}

    /** The candidate closest to {@code word} within a small edit distance, or null when none is close. */
    public static String nearest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = EditDistance.between(word.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
    }
}
