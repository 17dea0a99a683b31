package com.example.quickstart;

import dev.troupe.agents.team.RunResult;
import dev.troupe.agents.team.Team;
import dev.troupe.roles.Teams;
import java.nio.file.Path;

/** A team from a YAML file, on the model troupe run would pick for it. */
public final class YamlTeam {
    public static RunResult run(Path teamFile, Path workspace) {
        // The model: .model(spec) if given, else the file's model:, else OPENAI_API_KEY or OLLAMA_BASE_URL,
        // else the file's offlineModel: (scripted answers for its sample idea).
        Teams teams = Teams.load(teamFile);
        String idea = teams.definition().idea().orElseThrow();
        Team team = teams.idea(idea).builder().workspace(workspace).build();
        RunResult result = team.run(idea);

        System.out.println(result.status() + ", on " + teams.chooseModel().spec() + ": "
                + result.document("WriteNotes").orElseThrow().content());
        return result;
    }
}
