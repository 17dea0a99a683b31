package dev.troupe.roles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a team file and the files it names (schemas, scripts) come from: the file system for a
 * user's team, the class path for the built-in library. Relative names resolve against the file.
 */
public sealed interface Source {
    /** How errors name this source, e.g. {@code teams/app.yaml} or {@code builtin:software-company}. */
    String displayName();

    String read() throws IOException;

    /** The raw bytes, for files that are not text (a compressed catalog). */
    InputStream open() throws IOException;

    /** The source {@code relative} names, next to this one. */
    Source sibling(String relative);

    /** The folder of a file source, for model specs with relative paths. */
    Optional<Path> directory();

    boolean exists();

    static Source file(Path path) {
        return new FileSource(path);
    }

    static Source resource(String path, String displayName) {
        return new ResourceSource(path, displayName);
    }

    /** YAML held in memory; files it names are looked up relative to the working directory. */
    static Source text(String yaml, String displayName) {
        return new TextSource(yaml, displayName);
    }

    /** A team definition given as text. */
    record TextSource(String text, String displayName) implements Source {
        @Override
        public String read() {
            return text;
        }

        @Override
        public InputStream open() {
            return new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Source sibling(String relative) {
            return new FileSource(Path.of(relative));
        }

        @Override
        public Optional<Path> directory() {
            return Optional.empty();
        }

        @Override
        public boolean exists() {
            return true;
        }
    }

    /** A team file on disk. */
    record FileSource(Path path) implements Source {
        @Override
        public String displayName() {
            return path.toString();
        }

        @Override
        public String read() throws IOException {
            return Files.readString(path, StandardCharsets.UTF_8);
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }

        @Override
        public Source sibling(String relative) {
            Path dir = path.toAbsolutePath().getParent();
            return new FileSource(dir == null ? Path.of(relative) : dir.resolve(relative).normalize());
        }

        @Override
        public Optional<Path> directory() {
            return Optional.ofNullable(path.toAbsolutePath().getParent());
        }

        @Override
        public boolean exists() {
            return Files.isRegularFile(path);
        }
    }

    /** A file of the built-in library on the class path. */
    record ResourceSource(String path, String displayName) implements Source {
        @Override
        public String read() throws IOException {
            try (InputStream in = open()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        @Override
        public InputStream open() throws IOException {
            InputStream in = Source.class.getResourceAsStream(path);
            if (in == null) {
                throw new NoSuchFileException(displayName);
            }
            return in;
        }

        @Override
        public Source sibling(String relative) {
            String dir = path.substring(0, path.lastIndexOf('/') + 1);
            String resolved = Path.of(dir + relative).normalize().toString().replace('\\', '/');
            String shownDir = displayName.contains("/") ? displayName.substring(0, displayName.lastIndexOf('/') + 1) : "";
            return new ResourceSource(resolved, shownDir + relative);
        }

        @Override
        public Optional<Path> directory() {
            return Optional.empty();
        }

        @Override
        public boolean exists() {
            return Source.class.getResource(path) != null;
        }
    }
}
