package dev.troupe.agents.command.internal;

import dev.troupe.agents.command.CommandSpec;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.error.ActionFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link CommandSpec} with {@code bash -c} in the workspace: a clean environment without
 * the model's or tools' secrets, a timeout that kills the whole process tree, and bounded output.
 */
public final class CommandRunner {
    /** The only variables a command inherits; keys and tokens of the parent process stay out. */
    private static final String[] PASSED_ENV = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "JAVA_HOME", "USER", "TERM"};

    private CommandRunner() {}

    /** The outcome as a JSON payload: command, exitCode, passed, timedOut, output. */
    public static ObjectNode run(CommandSpec spec, Path workspace, String role, String action) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", spec.command())
                .directory(workspace.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        Map<String, String> parent = Map.copyOf(env);
        env.clear();
        for (String k : PASSED_ENV) {
            if (parent.containsKey(k)) {
                env.put(k, parent.get(k));
            }
        }
        env.put("TROUPE_WORKSPACE", workspace.toAbsolutePath().toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ActionFailedException(role, action, "cannot start '" + spec.command() + "' in " + workspace + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readBounded(p.getInputStream(), spec.maxOutputChars()),
                r -> Thread.ofVirtual().start(r));
        boolean timedOut;
        try {
            timedOut = !p.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new ActionFailedException(role, action, "interrupted while running '" + spec.command() + "'", e);
        }
        if (timedOut) {
            kill(p);
        }
        String out = output.join();
        int exit = timedOut ? -1 : p.exitValue();
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("command", spec.command());
        payload.put("exitCode", exit);
        payload.put("passed", !timedOut && exit == 0);
        payload.put("timedOut", timedOut);
        payload.put("output", timedOut ? out + "\n[killed after " + spec.timeout() + "]" : out);
        return payload;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Reads the whole stream (so the process never blocks on a full pipe) but keeps only its head and tail. */
    private static String readBounded(InputStream in, int max) {
        try (in) {
            byte[] head = new byte[max / 2];
            int headLen = 0;
            byte[] tail = new byte[max / 2];
            long total = 0;
            int tailPos = 0;
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (headLen < head.length) {
                        head[headLen++] = buf[i];
                    } else {
                        tail[tailPos % tail.length] = buf[i];
                        tailPos++;
                    }
                }
                total += n;
            }
            String h = new String(head, 0, headLen, StandardCharsets.UTF_8);
            if (tailPos <= tail.length) {
                return h + new String(tail, 0, tailPos, StandardCharsets.UTF_8);
            }
            byte[] ordered = new byte[tail.length];
            for (int i = 0; i < tail.length; i++) {
                ordered[i] = tail[(tailPos + i) % tail.length];
            }
            return h + "\n[… " + (total - headLen - tail.length) + " bytes cut …]\n" + new String(ordered, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
