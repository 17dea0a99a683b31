package dev.troupe.agents.model.internal;

import dev.troupe.agents.model.ModelInterceptor;
import dev.troupe.agents.model.ModelResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.agents.error.ConfigurationException;
import dev.troupe.core.security.Redactor;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** Appends every answered call to a cassette that {@code replay:<file>} plays back. */
final class RecordingInterceptor implements ModelInterceptor, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter out;
    private final Redactor redactor;

    RecordingInterceptor(Path file, Redactor redactor) {
        this.file = file;
        this.redactor = Objects.requireNonNull(redactor);
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot write the cassette " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        ModelResponse response = chain.proceed(chain.request());
        CassetteEntry entry = CassetteEntry.of(chain.request(), response);
        synchronized (out) {
            try {
                out.write(redactor.redact(JSON.writeValueAsString(entry)));
                out.newLine();
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot append to the cassette " + file, e);
            }
        }
        return response;
    }

    @Override
    public void close() {
        synchronized (out) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close the cassette " + file, e);
            }
        }
    }
}
