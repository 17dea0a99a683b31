package dev.troupe.agents.model.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.model.internal.CassetteEntry;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays a recorded run back: each role and action gets its recorded answers in recording order,
 * so roles that ran in parallel replay correctly whatever order they ask in now.
 */
public final class ReplayModel implements ModelBackend {
    private final String spec;
    private final String file;
    private final Map<String, Deque<CassetteEntry>> byRoleAction;

    private ReplayModel(String spec, String file, Map<String, Deque<CassetteEntry>> byRoleAction) {
        this.spec = spec;
        this.file = file;
        this.byRoleAction = byRoleAction;
    }

    /** Loads the cassette at {@code path} (written by {@code Team.Builder.recordTo}); {@code spec} labels it in traces. */
    public static ReplayModel load(Path path, String spec) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("Cassette not found: " + path.toAbsolutePath() + " (from spec '" + spec
                    + "'). Record one with 'troupe run … --record FILE'.");
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read cassette " + path + ": " + e.getMessage(), e);
        }
        Map<String, Deque<CassetteEntry>> map = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                CassetteEntry e = Json.MAPPER.readValue(line, CassetteEntry.class);
                map.computeIfAbsent(key(e.role(), e.action()), k -> new ArrayDeque<>()).add(e);
            } catch (JsonProcessingException ex) {
                throw new ConfigurationException(path + ":" + (i + 1) + ": not a cassette entry: " + ex.getOriginalMessage(), ex);
            }
        }
        return new ReplayModel(spec, path.toString(), map);
    }

    private static String key(String role, String action) {
        return role + "\u0000" + action;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public boolean synthetic() {
        return true;
    }

    @Override
    public ChatResponse chat(ModelRequest request) {
        CassetteEntry e;
        synchronized (byRoleAction) {
            Deque<CassetteEntry> q = byRoleAction.get(key(request.role(), request.action()));
            e = q == null ? null : q.poll();
        }
        if (e == null) {
            throw new ConfigurationException("Cassette " + file + " has no more recorded answers for " + request.where()
                    + ". The team or its prompts changed since recording; record again with --record.");
        }
        return e.toChatResponse();
    }
}
