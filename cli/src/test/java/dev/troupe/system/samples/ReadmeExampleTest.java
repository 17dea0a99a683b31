package dev.troupe.system.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import org.junit.jupiter.api.Test;

/** The README's examples run as written. */
class ReadmeExampleTest {

    /**
     * Each Java block of the README is a whole source file, compiled and run by a test: the quickstart's files by
     * SampleProjectTest, the NATS example by bus-nats' NatsTeamTest.
     */
    @Test
    void everyJavaBlockOfTheReadmeIsASourceFileThatATestRuns() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        java.util.List<java.nio.file.Path> sources = java.util.List.of(
                java.nio.file.Path.of("..", "samples", "java-quickstart", "src", "main", "java"),
                java.nio.file.Path.of("..", "bus-nats", "src", "test", "java", "dev", "troupe", "busnats", "example"));
        java.util.List<String> files;
        try (var walk = sources.stream().flatMap(dir -> {
            try {
                return java.nio.file.Files.walk(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })) {
            files = walk.filter(f -> f.toString().endsWith(".java") && !f.toString().endsWith("Test.java")).map(f -> {
                try {
                    return java.nio.file.Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        java.util.List<String> blocks = new java.util.ArrayList<>();
        for (int at = readme.indexOf("```java\n"); at >= 0; at = readme.indexOf("```java\n", at + 1)) {
            int start = at + "```java\n".length();
            blocks.add(readme.substring(start, readme.indexOf("```", start)));
        }

        assertThat(blocks).as("the README's Java blocks").isNotEmpty();
        assertThat(blocks).allSatisfy(block -> assertThat(files).as("a source file equal to the README block:%n%s", block)
                .contains(block));
    }

    @Test
    void teamYamlOfTheReadmeIsValidAndRunsOnTheDryRunModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        int section = readme.indexOf("## Teams in YAML");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        java.nio.file.Path file = dir.resolve("blog.yaml");
        java.nio.file.Files.writeString(file, yaml);

        var def = dev.troupe.roles.TeamLoader.load(file);
        RunResult result = def.toBuilder(new dev.troupe.agents.model.offline.DryRunModel(),
                dev.troupe.agents.model.ModelResolver.withEnv(java.util.Map.of())).build().run("Java virtual threads");

        assertThat(def.name()).isEqualTo("blog");
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.documents().keySet()).contains("Outline", "Draft", "Polish");
    }
}
