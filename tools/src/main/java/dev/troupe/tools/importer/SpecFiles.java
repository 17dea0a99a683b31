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
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;

/** Reads a JSON or YAML spec file into a tree, with errors that give file, line and column. */
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
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
    }

    static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    static JsonNode read(Path file) {
        try {
            JsonNode node = (isYaml(file) ? YAML : JSON).readTree(file.toFile());
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
