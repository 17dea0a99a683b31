package dev.troupe.tools.importer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.troupe.tools.error.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a JSON or YAML spec file, plain or gzip-compressed ({@code .json.gz}, {@code .yaml.gz}), into a
 * tree, with errors that give file, line and column.
 */
final class SpecFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML;

    static {
        LoaderOptions options = new LoaderOptions();
        // Real specs (Azure, Stripe, GitHub) run to tens of megabytes; SnakeYAML's default stops at 3 MB.
        options.setCodePointLimit(256 * 1024 * 1024);
        options.setMaxAliasesForCollections(1_000);
        YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
    }

    private SpecFiles() {
    }

    static boolean isSpecFile(Path file) {
        String name = plainName(file);
        return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
    }

    static boolean isYaml(Path file) {
        String name = plainName(file);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static boolean isGzip(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /** The lower-case file name without a {@code .gz} suffix. */
    private static String plainName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    static JsonNode read(Path file) {
        try {
            JsonNode node;
            try (InputStream in = isGzip(file) ? new GZIPInputStream(Files.newInputStream(file), 1 << 16) : Files.newInputStream(file)) {
                node = (isYaml(file) ? YAML : JSON).readTree(in);
            }
            if (node == null || node.isMissingNode()) {
                throw new SpecException(file, "the file is empty", "point the import at an API spec or a StableToolBench query file");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new SpecException(file.toString(), "not valid " + (isYaml(file) ? "YAML" : "JSON") + where + ": "
                    + e.getOriginalMessage(), "fix the syntax or leave the file out", e);
        } catch (IOException e) {
            throw new SpecException(file.toString(), "cannot be read (" + e.getMessage() + ")",
                    "check that the file exists and is readable", e);
        }
    }

    static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new SpecException(file.toString(), "cannot be read (" + e.getMessage() + ")",
                    "check that the file exists and is readable", e);
        }
    }
}
