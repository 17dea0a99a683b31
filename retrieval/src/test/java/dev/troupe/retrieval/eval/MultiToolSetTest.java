package dev.troupe.retrieval.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.tools.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiToolSetTest {
    @Test
    void joinsEveryRequestOnceWithRequestsOnOtherToolsAndTheSameSeedGivesTheSameSet(@TempDir Path dir) throws IOException {
        Path source = SharedData.file("G1_instruction.json");
        Path first = MultiToolSet.write(List.of(source), dir.resolve("a")).get(0);
        Path second = MultiToolSet.write(List.of(source), dir.resolve("b")).get(0);
        assertThat(first.getFileName()).hasToString("multi_G1_instruction.json");
        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));

        ObjectMapper mapper = new ObjectMapper();
        Set<String> used = new HashSet<>();
        for (JsonNode composed : mapper.readTree(first.toFile())) {
            JsonNode parts = composed.path("parts");
            assertThat(parts.size()).isBetween(2, 4);
            Set<String> tools = new HashSet<>();
            Set<String> labels = new HashSet<>();
            StringBuilder text = new StringBuilder();
            for (JsonNode part : parts) {
                assertThat(used.add(part.path("query_id").asText())).as("each source request is used once").isTrue();
                part.path("relevant APIs").forEach(pair -> {
                    tools.add(pair.path(0).asText());
                    labels.add(pair.path(0).asText() + "/" + pair.path(1).asText());
                });
                text.append(text.isEmpty() ? "" : " ").append(part.path("query").asText().strip());
            }
            assertThat(tools).as("a composed request needs a tool per part").hasSize(parts.size());
            assertThat(composed.path("query").asText()).isEqualTo(text.toString());
            Set<String> united = new HashSet<>();
            composed.path("relevant APIs").forEach(pair -> united.add(pair.path(0).asText() + "/" + pair.path(1).asText()));
            assertThat(united).isEqualTo(labels);
        }
        assertThat(used).hasSize(mapper.readTree(source.toFile()).size());
    }
}
