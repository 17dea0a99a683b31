package dev.troupe.busnats.distributed;

import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelResolver;
import dev.troupe.agents.team.Team;
import dev.troupe.roles.TeamDefinition;
import dev.troupe.roles.TeamLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built-in software-company team on its bundled offline script, as every test process builds it. */
final class SoftwareCompany {
    static final ModelResolver NO_ENV = ModelResolver.withEnv(Map.of());
    static final String NAME = "software-company";
    static final String[] ROLES = {"Alice", "Bob", "Eve", "Alex", "Edward"};

    private SoftwareCompany() {}

    static TeamDefinition definition() {
        return TeamLoader.builtin(NAME);
    }

    static String idea() {
        return definition().idea().orElseThrow();
    }

    /** The team with its scripted model, writing into {@code workspace}. */
    static Team team(Path workspace) {
        TeamDefinition def = definition();
        ModelBackend offline = def.resolve(def.offlineModel().orElseThrow(), NO_ENV);
        return def.toBuilder(offline, NO_ENV).workspace(workspace).build();
    }

    static boolean python3OnPath() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
