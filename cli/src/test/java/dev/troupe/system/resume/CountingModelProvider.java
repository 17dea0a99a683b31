package dev.troupe.system.resume;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelProvider;
import dev.troupe.agents.model.ModelRequest;
import dev.troupe.agents.model.offline.ScriptedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code counting:<script file>}: a scripted model that takes {@value #DELAY} milliseconds per call
 * and appends {@code <pid> <role> <action>} to the file {@value #LOG} names once it has answered,
 * so a test can count the calls every process made, including processes it killed. With
 * {@value #PAUSE_AT} set to n, the process's n-th call hangs, before answering or ({@value #PAUSE_AFTER}
 * set) after answering and logging, and a moment later creates the file {@value #PAUSED} names,
 * waiting to be killed there.
 */
public final class CountingModelProvider implements ModelProvider {
    public static final String LOG = "TROUPE_TEST_CALL_LOG";
    public static final String DELAY = "TROUPE_TEST_MODEL_DELAY_MS";
    public static final String PAUSE_AT = "TROUPE_TEST_PAUSE_AT_CALL";
    public static final String PAUSE_AFTER = "TROUPE_TEST_PAUSE_AFTER_ANSWER";
    public static final String PAUSED = "TROUPE_TEST_PAUSED_FILE";

    @Override
    public String scheme() {
        return "counting";
    }

    @Override
    public ModelBackend create(String model, Map<String, String> env) {
        ScriptedModel script = ScriptedModel.load(Path.of(model), "scripted:" + model);
        Path log = Path.of(env.getOrDefault(LOG, "calls.log"));
        long delay = Long.parseLong(env.getOrDefault(DELAY, "0"));
        long pid = ProcessHandle.current().pid();
        int pauseAt = Integer.parseInt(env.getOrDefault(PAUSE_AT, "0"));
        boolean pauseAfter = Boolean.parseBoolean(env.getOrDefault(PAUSE_AFTER, "false"));
        AtomicInteger calls = new AtomicInteger();
        return new ModelBackend() {
            @Override
            public String spec() {
                return "counting:" + model;
            }

            @Override
            public boolean synthetic() {
                return true;
            }

            @Override
            public ChatResponse chat(ModelRequest request) {
                boolean pause = calls.incrementAndGet() == pauseAt;
                sleep(delay);
                if (pause && !pauseAfter) {
                    hang();
                }
                ChatResponse answer = script.chat(request);
                try {
                    // One short write with O_APPEND: a kill leaves the line whole or absent.
                    Files.writeString(log, pid + " " + request.role() + " " + request.action() + "\n",
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (pause) {
                    hang();
                }
                return answer;
            }

            private void hang() {
                // Calls made at the same time by other roles get to finish and be journaled first,
                // so every process gets further than the one before.
                sleep(4 * delay);
                try {
                    Files.writeString(Path.of(env.get(PAUSED)), "paused in call " + pauseAt);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                sleep(Long.MAX_VALUE);
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
