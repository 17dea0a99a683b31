package dev.troupe.memory.jdbc;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.Objects;

/**
 * One step of a store's schema history: SQL statements that take it from {@code version - 1} to
 * {@code version}, written once and never edited after release (add a new migration instead).
 */
public record Migration(int version, String description, ImmutableList<String> statements) {

    public Migration {
        checkArgument(version >= 1, "migration version must be >= 1 but was %s", version);
        checkArgument(description != null && !description.isBlank(), "migration %s needs a description", version);
        Objects.requireNonNull(statements, () -> "statements of migration " + version + " must not be null");
        checkArgument(!statements.isEmpty(), "migration %s (%s) has no statements", version, description);
        statements.forEach(s -> checkArgument(s != null && !s.isBlank(), "migration %s (%s) has a blank statement",
                version, description));
    }

    public static Migration of(int version, String description, String... statements) {
        return new Migration(version, description, ImmutableList.copyOf(statements));
    }
}
