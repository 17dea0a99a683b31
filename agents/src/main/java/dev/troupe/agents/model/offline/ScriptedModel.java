package dev.troupe.agents.model.offline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.agents.json.internal.YamlErrors;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Answers from a YAML script keyed by role, action and prompt text: the first entry that matches
 * wins, in file order. Unmatched calls fail naming the call, or fall back to dry-run answers.
 * The file format is a contract; see README "Scripted models".
 */
public final class ScriptedModel implements ModelBackend {

    /** What an unmatched call does. */
    public enum Fallback { ERROR, DRY_RUN;

        @JsonCreator
        static Fallback parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "error" -> ERROR;
                case "dry-run" -> DRY_RUN;
                default -> throw new IllegalArgumentException("fallback must be 'error' or 'dry-run', not '" + s + "'");
            };
        }
    }

    /** One tool call a scripted entry makes instead of replying. */
    public record ToolCall(@JsonProperty(value = "name", required = true) String name, JsonNode arguments, String id) {}

    /** One scripted answer and the calls it matches. */
    public record Reply(String role, String action, String when, Integer times, JsonNode reply, List<ToolCall> toolCalls) {}

    record Script(List<Reply> replies, Fallback fallback) {}

    private record Entry(Reply reply, Pattern when, int line) {}

    private final String spec;
    private final String file;
    private final List<Entry> entries;
    private final int[] used;
    private final Fallback fallback;
    private final DryRunModel dryRun = new DryRunModel();

    private ScriptedModel(String spec, String file, List<Entry> entries, Fallback fallback) {
        this.spec = spec;
        this.file = file;
        this.entries = entries;
        this.used = new int[entries.size()];
        this.fallback = fallback;
    }

    /** Loads a script file; every mistake names file:line:column. */
    public static ScriptedModel load(Path path, String spec) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("Scripted model file not found: " + path.toAbsolutePath()
                    + " (from spec '" + spec + "'). Give a path relative to the team file or the working directory.");
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read scripted model file " + path + ": " + e.getMessage(), e);
        }
        return parse(text, path.toString(), spec);
    }

    /** Parses script text; {@code file} names it in errors. */
    public static ScriptedModel parse(String yaml, String file, String spec) {
        Script script;
        try {
            script = Json.YAML.readValue(yaml, Script.class);
        } catch (JsonProcessingException e) {
            throw YamlErrors.of(file, e);
        }
        if (script == null || script.replies() == null) {
            throw new ConfigurationException(file + ": a scripted model file needs a 'replies:' list");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < script.replies().size(); i++) {
            Reply r = script.replies().get(i);
            String at = file + ": replies[" + i + "]";
            if (r == null) {
                throw new ConfigurationException(at + " is empty; give it 'reply:' or 'toolCalls:'");
            }
            boolean hasReply = r.reply() != null && !r.reply().isNull();
            boolean hasCalls = r.toolCalls() != null && !r.toolCalls().isEmpty();
            if (hasReply == hasCalls) {
                throw new ConfigurationException(at + " needs exactly one of 'reply:' or 'toolCalls:'");
            }
            if (hasCalls) {
                for (int c = 0; c < r.toolCalls().size(); c++) {
                    ToolCall call = r.toolCalls().get(c);
                    if (call == null || call.name() == null || call.name().isBlank()) {
                        throw new ConfigurationException(at + ": toolCalls[" + c + "] needs a 'name:' (and optional 'arguments:')");
                    }
                }
            }
            if (r.times() != null && r.times() < 1) {
                throw new ConfigurationException(at + ": 'times' must be >= 1 but was " + r.times());
            }
            Pattern when = null;
            if (r.when() != null) {
                try {
                    when = Pattern.compile(r.when());
                } catch (PatternSyntaxException e) {
                    throw new ConfigurationException(at + ": 'when' is not a valid regular expression: " + e.getDescription()
                            + " near index " + e.getIndex() + " of \"" + r.when() + "\"");
                }
            }
            entries.add(new Entry(r, when, i));
        }
        return new ScriptedModel(spec, file, List.copyOf(entries),
                script.fallback() == null ? Fallback.ERROR : script.fallback());
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
        String prompt = request.promptText();
        Reply match = null;
        synchronized (used) {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                Reply r = e.reply();
                if ((r.role() == null || r.role().equals(request.role()))
                        && (r.action() == null || r.action().equals(request.action()))
                        && (e.when() == null || e.when().matcher(prompt).find())
                        && (r.times() == null || used[i] < r.times())) {
                    used[i]++;
                    match = r;
                    break;
                }
            }
        }
        if (match == null) {
            if (fallback == Fallback.DRY_RUN) {
                return dryRun.chat(request);
            }
            String start = prompt.length() > 200 ? prompt.substring(0, 200) + "…" : prompt;
            throw new ConfigurationException("Scripted model " + file + " has no reply for " + request.where()
                    + ". Add an entry with role: " + request.role() + " and action: " + request.action()
                    + " (or set 'fallback: dry-run'). Prompt starts: " + start.replace('\n', ' '));
        }
        AiMessage ai;
        if (match.toolCalls() != null && !match.toolCalls().isEmpty()) {
            List<ToolExecutionRequest> calls = new ArrayList<>();
            int n = 0;
            for (ToolCall c : match.toolCalls()) {
                n++;
                calls.add(ToolExecutionRequest.builder()
                        .id(c.id() != null ? c.id() : "call_" + request.action() + "_" + request.step() + "_" + n)
                        .name(c.name())
                        .arguments(c.arguments() == null ? "{}" : c.arguments().toString())
                        .build());
            }
            ai = AiMessage.from(calls);
        } else {
            JsonNode r = match.reply();
            ai = AiMessage.from(r.isTextual() ? r.asText() : r.toPrettyString());
        }
        return ChatResponse.builder().aiMessage(ai).modelName(spec).build();
    }
}
