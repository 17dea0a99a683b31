package dev.troupe.agents.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.core.security.Redactor;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Writes every run event as one JSON object per line, with a {@code type} field, flushed as it goes. */
public final class JsonlTraceWriter implements RunListener, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private final Redactor redactor;

    /** A trace masking the environment's secrets ({@link Redactor#fromEnvironment()}). */
    public JsonlTraceWriter(Path file) {
        this(file, Redactor.fromEnvironment());
    }

    /** A trace masking what {@code redactor} masks, e.g. the team's ({@code Team.redactor()}). */
    public JsonlTraceWriter(Path file, Redactor redactor) {
        this.file = file;
        this.redactor = Objects.requireNonNull(redactor);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot write the trace file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void on(RunEvent event) {
        ObjectNode node = Json.MAPPER.valueToTree(event);
        ObjectNode line = Json.MAPPER.createObjectNode().put("type", event.getClass().getSimpleName());
        line.setAll(node);
        synchronized (out) {
            try {
                out.write(redactor.redact(line.toString()));
                out.newLine();
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot append to the trace file " + file, e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (out) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close the trace file " + file, e);
            }
        }
    }
}
