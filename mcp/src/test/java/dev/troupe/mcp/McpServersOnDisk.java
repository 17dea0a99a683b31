package dev.troupe.mcp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The pinned MCP servers from npm that the tests run against, installed by {@code .ci/run} into
 * {@code $TROUPE_MCP_SERVERS} (default {@code ~/.cache/troupe/mcp-servers}). Tests skip, saying how to
 * install them, when node or a package is missing.
 */
public final class McpServersOnDisk {
    static final String INSTALL = "npm install --prefix ~/.cache/troupe/mcp-servers @modelcontextprotocol/server-filesystem@2026.8.31"
            + " @modelcontextprotocol/server-everything@2026.8.31 @modelcontextprotocol/inspector@2.12.0 (as .ci/run does),"
            + " or set TROUPE_MCP_SERVERS to such a folder";

    private McpServersOnDisk() {}

    public static Path folder() {
        String env = System.getenv("TROUPE_MCP_SERVERS");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "troupe", "mcp-servers");
    }

    /** The entry script of an installed package, e.g. {@code server-filesystem}; skips the test when it is absent. */
    public static Path script(String pkg) {
        assumeTrue(nodeRuns(), "node is not on PATH; the MCP tests run real MCP servers with node");
        Path script = folder().resolve("node_modules/@modelcontextprotocol").resolve(pkg).resolve("dist/index.js");
        assumeTrue(Files.isRegularFile(script), "@modelcontextprotocol/" + pkg + " is not installed in " + folder() + "; " + INSTALL);
        return script;
    }

    public static Path inspector() {
        assumeTrue(nodeRuns(), "node is not on PATH; the MCP Inspector runs with node");
        Path bin = folder().resolve("node_modules/.bin/mcp-inspector");
        assumeTrue(Files.isExecutable(bin), "@modelcontextprotocol/inspector is not installed in " + folder() + "; " + INSTALL);
        return bin;
    }

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** A YAML flow string, quoted so paths with any characters survive. */
    public static String quoted(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
