package dev.troupe.busnats.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.agents.action.Action;
import dev.troupe.agents.model.offline.ScriptedModel;
import dev.troupe.agents.role.Role;
import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.RunStatus;
import dev.troupe.agents.team.Team;
import dev.troupe.busnats.LocalNats;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's NATS example runs as written. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NatsTeamTest {

    @Test
    void bobsWorkersAnswerARunCoordinatedOverNats() {
        LocalNats.assumeAvailable();
        Role bob = Role.builder("Bob").watch("UserRequirement").actions(Action.text("Design", "Design {{requirement}}")).build();
        Team team = Team.builder("snake").role(bob).model(ScriptedModel.parse("""
                replies:
                  - action: Design
                    reply: "A grid, a snake, an apple."
                """, "inline script", "scripted:inline")).build();

        RunResult result = NatsTeam.run(team, LocalNats.isolatedSettings());

        assertThat(result.status()).as("run error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.document("Design").orElseThrow().content()).isEqualTo("A grid, a snake, an apple.");
    }
}
