package dev.troupe.agents.action.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.json.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's files land in the workspace and nowhere else: not in the run's journal, not through a link. */
class WorkspaceFilesTest {
    @TempDir
    Path dir;

    private static JsonNode files(String path, String content) throws Exception {
        return Json.MAPPER.readTree("{\"files\": [{\"path\": " + Json.MAPPER.writeValueAsString(path) + ", \"content\": "
                + Json.MAPPER.writeValueAsString(content) + "}]}");
    }

    @Test
    void writesARelativeFileInsideTheWorkspace() throws Exception {
        Path ws = dir.resolve("ws");
        assertThat(WorkspaceFiles.write(files("pkg/a.py", "x = 1\n"), ws)).containsExactly("pkg/a.py");
        assertThat(Files.readString(ws.resolve("pkg/a.py"))).isEqualTo("x = 1\n");
    }

    @Test
    void theJournalFolderIsNeitherOfferedNorWritten() throws Exception {
        Path ws = dir.resolve("ws");
        Files.createDirectories(ws.resolve(".troupe"));
        Files.writeString(ws.resolve(".troupe/troupe.db"), "journal");

        for (String path : new String[] {".troupe/troupe.db", "./.troupe/x", "a/../.troupe/troupe.db", ".TROUPE/troupe.db"}) {
            assertThat(WorkspaceFiles.problems(files(path, "junk"))).as(path).singleElement().asString().contains(".troupe/");
            assertThatThrownBy(() -> WorkspaceFiles.write(files(path, "junk"), ws)).as(path)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journal");
        }
        assertThat(Files.readString(ws.resolve(".troupe/troupe.db"))).isEqualTo("journal");
    }

    @Test
    void aSymbolicLinkOutOfTheWorkspaceIsNotFollowed() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "keep");
        Files.createSymbolicLink(ws.resolve("out"), outside);
        Files.createSymbolicLink(ws.resolve("file.txt"), outside.resolve("secret.txt"));

        assertThatThrownBy(() -> WorkspaceFiles.write(files("out/new.txt", "escaped"), ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("symbolic link out");
        assertThatThrownBy(() -> WorkspaceFiles.write(files("file.txt", "overwritten"), ws))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("symbolic link file.txt");
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("keep");
    }

    @Test
    void theWriteFileToolRefusesTheJournal() throws Exception {
        Path ws = dir.resolve("ws");
        WorkspaceFileTool tool = new WorkspaceFileTool(ws);

        assertThatThrownBy(() -> tool.execute("{\"path\": \".troupe/troupe.db\", \"content\": \"junk\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".troupe/");
        assertThat(ws.resolve(".troupe/troupe.db")).doesNotExist();
    }
}
