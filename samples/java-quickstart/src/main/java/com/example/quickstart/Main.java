package com.example.quickstart;

import dev.troupe.agents.team.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the team built in code, then the team of release-notes.yaml; exits 1 when either run fails. */
public final class Main {
    public static void main(String[] args) throws Exception {
        RunResult blog = BlogTeam.run();
        RunResult notes = YamlTeam.run(Path.of("release-notes.yaml"), Files.createTempDirectory("quickstart-"));
        System.exit(blog.succeeded() && notes.succeeded() ? 0 : 1);
    }
}
