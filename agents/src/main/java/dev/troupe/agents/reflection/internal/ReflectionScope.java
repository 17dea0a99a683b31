package dev.troupe.agents.reflection.internal;

import dev.troupe.memory.reflection.store.ReflectionStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a reflective action needs from its run: where lessons are kept, the team name and the
 * requirement (for the derived task key), and the workspace (for the tests judge).
 */
public record ReflectionScope(ReflectionStore store, String team, String requirement, Optional<Path> workspace) {}
