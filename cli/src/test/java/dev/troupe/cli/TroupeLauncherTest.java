package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./troupe} launcher and {@code scripts/find-jdk.sh} on a machine laid out unlike this one: no JDK in
 * the install folders, JAVA_HOME unset or too old, a JDK only on PATH; and the CLI jar's console, which shows
 * Troupe's lines and not the libraries' warnings. Each script runs in a clean environment whose
 * PATH holds the few shell tools the scripts use and nothing else, so no JDK of the build machine is found by chance.
 */
class TroupeLauncherTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Pattern TEAM_LINE = Pattern.compile("^(\\S+) — ", Pattern.MULTILINE);
    /** What java.util.logging, slf4j-simple, SLF4J itself and the JVM's own warnings look like on a console. */
    private static final Pattern LIBRARY_LOG_LINE = Pattern.compile("^(?:(?:WARNING|SEVERE|INFO): |\\[[^\\]]+\\] (?:WARN|INFO|DEBUG) |SLF4J"
            + "|[A-Z][a-z]{2} \\d{2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M ).*$", Pattern.MULTILINE);
    private static final List<String> SHELL_TOOLS = List.of("bash", "sed", "head", "tr", "paste", "find", "dirname", "readlink");

    @TempDir
    Path dir;
    private Path tools;
    private Path noJdks;

    @BeforeEach
    void shellToolsOnly() throws IOException {
        tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : SHELL_TOOLS) {
            Files.createSymbolicLink(tools.resolve(tool), onPath(tool));
        }
        noJdks = Files.createDirectories(dir.resolve("install-folders-without-jdks"));
    }

    @Test
    void findsTheJdkOfTheJavaOnPathThroughItsSymlinks() throws Exception {
        Path jdk = fakeJdk("jdks/temurin-21", 21);
        // Debian-style: PATH holds /usr/bin/java -> /etc/alternatives/java -> the JDK's bin/java.
        Path alternatives = Files.createDirectories(dir.resolve("etc/alternatives"));
        Files.createSymbolicLink(alternatives.resolve("java"), jdk.resolve("bin/java"));
        Path usrBin = Files.createDirectories(dir.resolve("usr/bin"));
        Files.createSymbolicLink(usrBin.resolve("java"), alternatives.resolve("java"));

        Result r = pickJdk(Map.of("PATH", usrBin + File.pathSeparator + tools, "TROUPE_JDK_SEARCH_DIRS", noJdks.toString()));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(jdk.toRealPath().toString());
    }

    @Test
    void passesOverAJavaHomeOlderThan21ForAJdkInTheInstallFolders() throws Exception {
        Path old = fakeJdk("jvm/jdk-17", 17);
        Path recent = fakeJdk("jvm/jdk-25", 25);

        Result r = pickJdk(Map.of("PATH", tools.toString(), "JAVA_HOME", old.toString(),
                "TROUPE_JDK_SEARCH_DIRS", noJdks + File.pathSeparator + dir.resolve("jvm")));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(recent.toString());
    }

    @Test
    void saysWhereItLookedWhenNoJdk21IsFound() throws Exception {
        Path old = fakeJdk("jvm/jdk-17", 17);

        Result r = pickJdk(Map.of("PATH", old.resolve("bin") + File.pathSeparator + tools,
                "TROUPE_JDK_SEARCH_DIRS", dir.resolve("jvm").toString()));

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no JDK 21 or newer found").contains(old.resolve("bin/java").toString())
                .contains("looked under " + dir.resolve("jvm")).contains("point JAVA_HOME at it");
    }

    @Test
    void troupeVersionRunsWithOnlyAJdkOnPath() throws Exception {
        Path jar = cliJar();
        // A checkout with the launcher and a jar newer than any source, so ./troupe runs the jar without building.
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(REPO.resolve("troupe"), checkout.resolve("troupe"));
        Files.createDirectories(checkout.resolve("scripts"));
        Files.copy(REPO.resolve("scripts/find-jdk.sh"), checkout.resolve("scripts/find-jdk.sh"));
        Path linked = checkout.resolve(REPO.relativize(jar));
        Files.createDirectories(linked.getParent());
        Files.createSymbolicLink(linked, jar);
        Path jdkBin = Path.of(System.getProperty("java.home"), "bin");

        Result r = run(List.of(checkout.resolve("troupe").toString(), "--version"),
                Map.of("PATH", jdkBin + File.pathSeparator + tools, "TROUPE_JDK_SEARCH_DIRS", noJdks.toString()));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("troupe ").contains("Java " + Runtime.version().feature());
        assertThat(r.err()).doesNotContain("building").doesNotContain("WARNING");
    }

    @Test
    void builtInTeamsRunWithoutLibraryWarningsOnTheConsole() throws Exception {
        Path jar = cliJar();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The teams' own commands (software-company runs its tests with python3) need the usual PATH; no model keys.
        Map<String, String> offline = Map.of("PATH", System.getenv().getOrDefault("PATH", ""));
        Result teams = run(List.of(java, "-jar", jar.toString(), "teams"), offline, Duration.ofMinutes(2));
        List<String> names = TEAM_LINE.matcher(teams.out()).results().map(m -> m.group(1)).toList();
        // api-agent is the team that loads Lucene, ONNX Runtime and DJL, whose warnings this is about.
        assertThat(names).contains("demo", "api-agent");

        for (String team : names) {
            Result r = run(List.of(java, "-jar", jar.toString(), "run", team, "--workspace", dir.resolve("ws-" + team).toString()),
                    offline, Duration.ofMinutes(10));
            assertThat(r.exit()).as("%s: %s", team, r.err()).isZero();
            assertThat(LIBRARY_LOG_LINE.matcher(r.out() + r.err()).results().map(MatchResult::group))
                    .as("library log lines on the console of troupe run %s", team).isEmpty();
        }
    }

    private static Path cliJar() {
        String built = System.getProperty("troupe.cli.jar");
        assumeTrue(built != null, "runs in the build's launcher tests, after the CLI jar is packaged");
        Path jar = Path.of(built).toAbsolutePath();
        assertThat(jar).as("the CLI jar the package phase builds").isRegularFile();
        return jar;
    }

    /** A JDK home whose java reports, as a real one does, its feature version and the home it lives in. */
    private Path fakeJdk(String name, int feature) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        String java = """
                #!/bin/sh
                home=$(dirname "$(dirname "$(readlink -f "$0")")")
                echo "    java.home = $home" >&2
                echo "    java.specification.version = %d" >&2
                """.formatted(feature);
        executable(home.resolve("bin/java"), java);
        executable(home.resolve("bin/javac"), "#!/bin/sh\n");
        return home.toRealPath();
    }

    private Result pickJdk(Map<String, String> env) throws Exception {
        String script = ". \"$1\" && troupe_pick_jdk && printf '%s\\n' \"$JAVA_HOME\"";
        return run(List.of(onPath("bash").toString(), "-c", script, "pick", REPO.resolve("scripts/find-jdk.sh").toString()), env);
    }

    private Result run(List<String> command, Map<String, String> env) throws Exception {
        return run(command, env, Duration.ofMinutes(2));
    }

    private Result run(List<String> command, Map<String, String> env, Duration limit) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("HOME", dir.toString());
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)).as("%s finished within %s", command, limit).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path onPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(tool + " is not on PATH; the launcher scripts need it");
    }

    private record Result(int exit, String out, String err) {}
}
