package dev.troupe.agents.model;

import dev.troupe.agents.model.internal.ModelGateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.exception.AuthenticationException;
import dev.troupe.agents.action.Action;
import dev.troupe.agents.error.ModelException;
import dev.troupe.agents.message.Message;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.agents.testing.Fakes;
import dev.troupe.core.security.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The redactor is the team's, handed to each run's gateway; nothing is installed process-wide. */
class RedactionTest {
    private static final String SECRET = "sk-team-secret-5e6f7a8b9c";

    @TempDir
    Path dir;

    private static Team.Builder team(ModelBackend model) {
        return Team.builder("masked")
                .role(Role.builder("Writer").watch(Message.USER_REQUIREMENT)
                        .actions(Action.text("Write", "Write {{requirement}}")).build())
                .model(model)
                .retryPolicy(RetryPolicy.none());
    }

    @Test
    void aTeamBuiltWithoutARedactorMasksTheEnvironmentsSecrets() {
        Team team = team(Fakes.backend("fake:model", r -> Fakes.reply("ok"))).build();

        assertThat(team.redactor()).isSameAs(Redactor.fromEnvironment());
    }

    @Test
    void theTeamsRedactorMasksAProvidersErrorInTheRunsResult() {
        ModelBackend leaky = Fakes.backend("fake:model", r -> {
            throw new AuthenticationException("Incorrect API key provided: " + SECRET);
        });

        RunResult result = team(leaky).redactor(Redactor.of(Map.of("PROVIDER_API_KEY", SECRET), List.of())).build().run("hello");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).get().asString().contains(Redactor.MASK).doesNotContain(SECRET);
    }

    @Test
    void theTeamsRedactorMasksWhatTheCassetteRecords() throws Exception {
        Path cassette = dir.resolve("run.jsonl");

        team(Fakes.backend("fake:model", r -> Fakes.reply("the key is " + SECRET)))
                .redactor(Redactor.none().withSecret(SECRET)).recordTo(cassette).build().run("hello");

        assertThat(Files.readString(cassette)).contains("the key is " + Redactor.MASK).doesNotContain(SECRET);
    }

    @Test
    void aGatewaysRedactorMasksTheProvidersMessage() {
        ModelGateway gateway = ModelGateway.builder().retryPolicy(RetryPolicy.none())
                .redactor(Redactor.of(Map.of("OPENAI_API_KEY", SECRET), List.of())).build();
        ModelBackend leaky = Fakes.backend("fake:model", r -> {
            throw new AuthenticationException("bad key " + SECRET);
        });

        ModelException e = catchThrowableOfType(ModelException.class, () -> gateway.call(leaky, Fakes.request("Alice", "Write", "hi")));

        assertThat(e.getMessage()).contains("bad key " + Redactor.MASK).doesNotContain(SECRET);
    }
}
