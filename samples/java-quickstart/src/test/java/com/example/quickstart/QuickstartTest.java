package com.example.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both teams run offline: the one built in code on its script, the YAML one on its offlineModel:. */
class QuickstartTest {

    @Test
    void theTeamBuiltInCodeOutlinesThenDrafts() throws Exception {
        RunResult result = BlogTeam.run();

        assertEquals(RunStatus.SUCCEEDED, result.status(), () -> "run error: " + result.error());
        assertEquals("Virtual threads", result.payload("Outline").orElseThrow().get("title").asText());
        assertTrue(result.document("Draft").orElseThrow().content().startsWith("Virtual threads make blocking cheap."));
        assertEquals(Set.of("Planner", "Writer"), result.usage().keySet());
        assertEquals(Optional.of("scripted:inline"), result.document("Draft").orElseThrow().model());
    }

    @Test
    void theYamlTeamRunsOnItsOfflineModel(@TempDir Path workspace) {
        RunResult result = YamlTeam.run(Path.of("release-notes.yaml"), workspace);

        assertEquals(RunStatus.SUCCEEDED, result.status(), () -> "run error: " + result.error());
        assertEquals(2, result.payload("GroupChanges").orElseThrow().get("features").size());
        assertTrue(result.document("WriteNotes").orElseThrow().content().startsWith("Troupe 0.1: load a YAML team"));
    }
}
