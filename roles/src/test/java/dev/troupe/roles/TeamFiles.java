package dev.troupe.roles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes team files for tests and computes where a piece of their text is, as file:line:column. */
final class TeamFiles {
    private TeamFiles() {}

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code file:line:column} (1-based) of the first occurrence of {@code needle} in {@code text}. */
    static String at(Path file, String text, String needle) {
        return at(file, text, needle, 1);
    }

    /** {@code file:line:column} (1-based) of the {@code nth} occurrence of {@code needle} in {@code text}. */
    static String at(Path file, String text, String needle, int nth) {
        int index = -1;
        for (int i = 0; i < nth; i++) {
            index = text.indexOf(needle, index + 1);
            if (index < 0) {
                throw new IllegalArgumentException("'" + needle + "' does not occur " + nth + " times in:\n" + text);
            }
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return file + ":" + line + ":" + (index - lineStart + 1);
    }
}
