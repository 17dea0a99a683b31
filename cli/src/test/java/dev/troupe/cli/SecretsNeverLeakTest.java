package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants an API key, runs the CLI in its own process against a hostile OpenAI-compatible server
 * that echoes the key back (in answers and in error bodies), and greps every artifact of the run.
 */
class SecretsNeverLeakTest {
    private static final String SECRET = "sk-troupe-planted-7f3a9c2e51d84b60";
    private static final String TEAM = """
            name: leaky
            roles:
              - name: Echo
                watch: [UserRequirement]
                actions:
                  - name: Answer
                    instruction: Answer {{requirement}}
            """;

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private record Run(int exit, String out, String err) {}

    private Run troupe(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), TroupeCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("OPENAI_BASE_URL", server.url("/v1").toString());
        pb.environment().put("OPENAI_API_KEY", SECRET);
        pb.environment().put("TROUPE_MODEL_TIMEOUT", "PT5S");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("stdout.txt")), Files.readString(dir.resolve("stderr.txt")));
    }

    private static String everyArtifact(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(f).append('\n').append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return all.toString();
    }

    private static String completion(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + escaped + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}";
    }

    @Test
    void aModelThatEchoesTheKeyLeavesItInNoArtifact(@TempDir Path dir) throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setHeader("Content-Type", "application/json")
                        .setBody(completion("Your header was " + request.getHeader("Authorization") + " and the key " + SECRET));
            }
        });
        Files.writeString(dir.resolve("team.yaml"), TEAM);
        Run run = troupe(dir, "run", "team.yaml", "--idea", "what is my key?", "--model", "openai:gpt-4o-mini",
                "--trace", "trace.jsonl", "--report", "report.html", "--record", "cassette.jsonl");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer " + SECRET);
        String artifacts = everyArtifact(dir);
        assertThat(artifacts).contains("trace.jsonl", "report.html", "cassette.jsonl", "[redacted]").doesNotContain(SECRET);
        assertThat(run.out() + run.err()).doesNotContain(SECRET);
    }

    @Test
    void anErrorBodyThatEchoesTheKeyLeavesItInNoArtifact(@TempDir Path dir) throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                        .setBody("{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET + " (header "
                                + request.getHeader("Authorization") + ")\",\"type\":\"invalid_request_error\"}}");
            }
        });
        Files.writeString(dir.resolve("team.yaml"), TEAM);
        Run run = troupe(dir, "run", "team.yaml", "--idea", "hello", "--model", "openai:gpt-4o-mini",
                "--trace", "trace.jsonl", "--report", "report.html");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("FAILED").contains("credentials");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(everyArtifact(dir)).contains("[redacted]").doesNotContain(SECRET);
    }
}
