package dev.troupe.busnats.distributed;

import dev.troupe.agents.message.Message;
import dev.troupe.agents.model.Usage;
import dev.troupe.agents.team.RunResult;
import dev.troupe.busnats.TeamStream;
import dev.troupe.busnats.TeamSubjects;
import dev.troupe.busnats.wire.ControlCodec;
import dev.troupe.busnats.wire.ControlRecord;
import dev.troupe.busnats.wire.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What tests compare: a run's documents, the files it left, and every record its stream holds, duplicates included. */
final class RunRecords {
    private RunRecords() {}

    /** Each message as causeBy, sender, addressees and its payload (a command's pass/fail only: its output has timings). */
    static List<String> documents(RunResult r) {
        return r.messages().stream().map(m -> m.causeBy() + " by " + m.sender() + " to " + m.sendTo() + ": "
                + m.payload().map(p -> p.has("passed") ? "passed=" + p.get("passed").asBoolean() : p.toString()).orElse(m.content()))
                .toList();
    }

    /** Model calls and tokens per role and action (tokens are estimated from the prompt, so equal prompts give equal counts). */
    static Map<String, String> calls(RunResult r) {
        Map<String, String> out = new TreeMap<>();
        r.usage().forEach((role, byAction) -> byAction.forEach((action, u) ->
                out.put(role + "/" + action, u.calls() + " calls, " + u.inputTokens() + " in, " + u.outputTokens() + " out")));
        return out;
    }

    /** The source files of a workspace, by relative path. */
    static Map<String, String> files(Path workspace) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(workspace)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".py")).toList()) {
                out.put(workspace.relativize(p).toString(), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every message record of a run in the stream, in stream order, duplicates included. */
    static List<Message> storedMessages(TeamStream stream, String runId) {
        return stream.read(stream.subjects().messagesOf(runId), 1).stream().map(e -> MessageCodec.decode(e.body())).toList();
    }

    /** Every step report of a run in the stream, in stream order, duplicates included. */
    static List<ControlRecord.StepDone> storedReports(TeamStream stream, String runId) {
        List<ControlRecord.StepDone> out = new ArrayList<>();
        for (TeamStream.Entry e : stream.read(stream.subjects().everythingOf(runId), 1)) {
            if (TeamSubjects.isControl(e.subject()) && ControlCodec.decode(e.body()) instanceof ControlRecord.StepDone s) {
                out.add(s);
            }
        }
        return out;
    }

    static Usage total(List<ControlRecord.StepDone> reports) {
        Usage t = Usage.ZERO;
        for (var s : reports) {
            for (var byAction : s.usage().values()) {
                for (Usage u : byAction.values()) {
                    t = t.plus(u);
                }
            }
        }
        return t;
    }
}
