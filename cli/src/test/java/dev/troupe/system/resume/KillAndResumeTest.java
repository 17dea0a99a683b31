package dev.troupe.system.resume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.agents.json.internal.Json;
import dev.troupe.memory.jdbc.Database;
import dev.troupe.memory.journal.ActionEntry;
import dev.troupe.memory.journal.JdbcRunJournal;
import dev.troupe.memory.journal.Journaled;
import dev.troupe.memory.journal.JournaledRun;
import dev.troupe.memory.journal.RunSummary;
import dev.troupe.cli.TroupeCli;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Kills {@code troupe run} with SIGKILL at many points of a pipeline that has every kind of step
 * (two actions in one step, a fan-out, a join, files, a command, a react loop, a plan): after
 * journal writes, inside model calls, and after a call answered but before the journal had it.
 * Each kill is resumed with {@code troupe run --resume} in a new JVM, which may be killed in turn,
 * until one finishes. Every chain must end with the documents of an uninterrupted run, and no
 * completed model call may be made twice: the scripted model logs every call of every process,
 * and the journal says which attempt completed which call.
 */
class KillAndResumeTest {
    /** Each model call takes this long, so kills land in calls as well as between journal writes. */
    private static final int MODEL_DELAY_MS = 30;
    private static final int MIN_DISTINCT_KILL_POINTS = 20;
    private static final int KILL_JITTER_MS = 10;

    @TempDir
    Path dir;

    private Path team;
    private Path script;
    private String classPath;

    /** A process of a chain: which attempt it was, its pid, and how it was killed (if it was). */
    private record Attempt(int number, long pid, Optional<String> killed, long entriesAtKill) {}

    private record Chain(String name, Path workspace, Path calls, List<Attempt> attempts, String finalOutput) {}

    @Test
    void aPipelineKilledAtManyPointsResumesToTheSameDocumentsWithoutRepeatingACompletedModelCall() throws Exception {
        team = copy("relay.yaml");
        script = copy("relay-script.yaml");
        classPath = classPathSnapshot(dir);
        // Loads SQLite's native library now, not while the first child writes its first entries.
        try (Connection warm = new SQLiteConfig().createConnection("jdbc:sqlite::memory:")) {
            assertThat(warm.isValid(1)).isTrue();
        }
        // The uninterrupted run first: its JVM leaves the class-data archive the others start from.
        Chain ref = chain("reference", new KillAt.Never(), new CountDownLatch(0), new CountDownLatch(1));
        // Then six chains of kills side by side: two kill by the journal's progress (after odd and after
        // even numbers of entries), four inside model calls (the second to fifth of each process),
        // where the process itself says it is.
        // Each starts once the one before has passed its first kill, so no two JVMs start at the same
        // moment and the journal is watched closely from its first entry.
        CountDownLatch aStarted = new CountDownLatch(1);
        CountDownLatch bStarted = new CountDownLatch(1);
        CountDownLatch cStarted = new CountDownLatch(1);
        CountDownLatch dStarted = new CountDownLatch(1);
        CountDownLatch eStarted = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            Future<Chain> a = pool.submit(() -> chain("a", new KillAt.JournalEntries(1, 1), new CountDownLatch(0), aStarted));
            Future<Chain> b = pool.submit(() -> chain("b", new KillAt.ModelCall(2), aStarted, bStarted));
            Future<Chain> c = pool.submit(() -> chain("c", new KillAt.JournalEntries(2, 3), bStarted, cStarted));
            // An action's call and its message are journaled together, so the entry counts above step by two
            // at a time; a chain killing inside each process's third model call reaches points between them.
            Future<Chain> d = pool.submit(() -> chain("d", new KillAt.ModelCall(3), cStarted, dStarted));
            Future<Chain> e = pool.submit(() -> chain("e", new KillAt.ModelCall(4), dStarted, eStarted));
            Future<Chain> f = pool.submit(() -> chain("f", new KillAt.ModelCall(5), eStarted, new CountDownLatch(1)));

            assertThat(ref.attempts()).hasSize(1);
            JournaledRun refRun = journal(ref);
            Map<String, Long> expectedCalls = callsOf(ref, ref.attempts().getFirst().pid());
            assertThat(sum(expectedCalls)).as("model calls of an uninterrupted run").isEqualTo(14);
            assertThat(expectedCalls).as("calls journaled by the uninterrupted run").isEqualTo(journaledCalls(refRun, 1));

            List<String> killPoints = new ArrayList<>();
            for (Chain chain : List.of(a.get(5, TimeUnit.MINUTES), b.get(5, TimeUnit.MINUTES), c.get(5, TimeUnit.MINUTES),
                    d.get(5, TimeUnit.MINUTES), e.get(5, TimeUnit.MINUTES), f.get(5, TimeUnit.MINUTES))) {
                killPoints.addAll(check(chain, ref, refRun, expectedCalls));
            }
            System.out.println("KillAndResumeTest: " + killPoints.size() + " kills, " + new HashSet<>(killPoints).size()
                    + " distinct kill points:\n  " + String.join("\n  ", killPoints));
            assertThat(new HashSet<>(killPoints)).as("distinct kill points (how, journal entries, calls answered but not journaled)")
                    .hasSizeGreaterThanOrEqualTo(MIN_DISTINCT_KILL_POINTS);
        }
    }

    /** Checks one chain against the uninterrupted run; returns its kill points. */
    private List<String> check(Chain chain, Chain ref, JournaledRun refRun, Map<String, Long> expectedCalls) throws IOException {
        String name = "chain " + chain.name();
        JournaledRun run = journal(chain);
        RunSummary summary = run.summary();
        assertThat(chain.finalOutput()).as(name).contains(": SUCCEEDED");
        assertThat(summary.status()).as(name).isEqualTo("SUCCEEDED");
        assertThat(summary.attempts()).as(name).isEqualTo(chain.attempts().size());
        assertThat(documents(run)).as(name + ": the documents of an uninterrupted run").isEqualTo(documents(refRun));
        assertThat(docsFolder(chain.workspace())).as(name + ": the docs/ the CLI leaves").isEqualTo(docsFolder(ref.workspace()));
        assertThat(chain.workspace().resolve("guide.md")).hasSameTextualContentAs(ref.workspace().resolve("guide.md"));

        List<String> points = new ArrayList<>();
        Map<String, Long> journaledSoFar = new TreeMap<>();
        for (Attempt at : chain.attempts()) {
            String where = name + ", attempt " + at.number() + at.killed().map(k -> " (killed " + k + ", " + at.entriesAtKill()
                    + " entries journaled)").orElse("");
            Map<String, Long> made = callsOf(chain, at.pid());
            Map<String, Long> journaled = journaledCalls(run, at.number());
            Map<String, Long> remaining = minus(expectedCalls, journaledSoFar);
            made.forEach((call, n) -> assertThat(n).as(where + ": calls of " + call + ", of which " + remaining.getOrDefault(call, 0L)
                    + " were not journaled by earlier attempts").isLessThanOrEqualTo(remaining.getOrDefault(call, 0L)));
            Map<String, Long> inFlight = minus(made, journaled);
            assertThat(inFlight.values()).as(where + ": every journaled call was made by this attempt").allMatch(n -> n >= 0);
            if (at.killed().isPresent()) {
                Map<String, Long> perRole = inFlight.entrySet().stream().collect(Collectors.groupingBy(
                        e -> e.getKey().substring(0, e.getKey().indexOf('/')), Collectors.summingLong(Map.Entry::getValue)));
                assertThat(perRole.values()).as(where + ": at most one call in flight per role, " + inFlight).allMatch(n -> n <= 1);
                points.add(at.killed().get() + ", " + at.entriesAtKill() + " entries journaled, answered but not journaled: "
                        + inFlight.keySet());
            } else {
                assertThat(inFlight).as(where + ": the last attempt journaled every call it made").isEmpty();
            }
            journaled.forEach((call, n) -> journaledSoFar.merge(call, n, Long::sum));
        }
        assertThat(journaledSoFar).as(name + ": every call journaled exactly once over all attempts").isEqualTo(expectedCalls);
        return points;
    }

    /** Where a chain kills each of its processes. */
    private sealed interface KillAt {
        /**
         * Once the journal holds the next of {@code first}, {@code first + 2}… entries beyond what it
         * held when the process started, plus a random delay of up to 10 ms: right
         * after the write, between a call's entry and its message's, in the next model call or command.
         */
        record JournalEntries(int first, long seed) implements KillAt {}

        /**
         * While the process's {@code n}th model call hangs, in turn before it answered and after it
         * answered but before the journal has it.
         */
        record ModelCall(int n) implements KillAt {}

        /** Never: the uninterrupted run. */
        record Never() implements KillAt {}
    }

    /**
     * Runs the pipeline in one workspace, killing each process where {@code killAt} says and
     * resuming the run, until a process finishes. Starts once {@code start} opens, and opens
     * {@code firstKilled} after its first process (killed or not).
     */
    private Chain chain(String name, KillAt killAt, CountDownLatch start, CountDownLatch firstKilled) throws Exception {
        try {
            start.await();
            return chain(name, killAt, firstKilled);
        } finally {
            firstKilled.countDown();
        }
    }

    private Chain chain(String name, KillAt killAt, CountDownLatch firstKilled) throws Exception {
        Path workspace = dir.resolve(name);
        Path calls = dir.resolve(name + "-calls.log");
        Random random = new Random(killAt instanceof KillAt.JournalEntries(int first, long seed) ? seed : 0);
        List<Attempt> attempts = new ArrayList<>();
        String runId = null;
        Entries entries = new Entries(workspace);
        for (int n = 1; n <= 40; n++) {
            long before = settledEntries(workspace);
            List<String> args = new ArrayList<>(List.of("run", team.toString(), "--model", "counting:" + script,
                    "--workspace", workspace.toString(), "-q"));
            if (runId != null) {
                args.addAll(List.of("--resume", runId));
            }
            Path paused = dir.resolve(name + "-" + n + ".paused");
            boolean afterAnswer = n % 2 == 0;
            Map<String, String> env = killAt instanceof KillAt.ModelCall(int call) ? Map.of(CountingModelProvider.PAUSE_AT, String.valueOf(call),
                    CountingModelProvider.PAUSE_AFTER, String.valueOf(afterAnswer), CountingModelProvider.PAUSED, paused.toString())
                    : Map.of();
            Child child = Child.start(dir, classPath, name + "-" + n, calls, args, env);
            long target = killAt instanceof KillAt.JournalEntries j ? j.first() : Long.MAX_VALUE;
            while (target <= before) {
                target += 2;
            }
            String how = null;
            while (child.process().isAlive() && how == null) {
                switch (killAt) {
                    case KillAt.JournalEntries j -> {
                        if (entries.count() >= target) {
                            Thread.sleep(random.nextInt(KILL_JITTER_MS));
                            how = "after a journal write";
                        }
                    }
                    case KillAt.ModelCall c -> {
                        if (Files.exists(paused)) {
                            how = afterAnswer ? "after a model call answered" : "in a model call";
                        }
                    }
                    case KillAt.Never never -> { }
                }
                if (how == null) {
                    Thread.sleep(4);
                }
            }
            if (how != null) {
                // destroyForcibly is SIGKILL on Linux and macOS: no shutdown hooks, no finally blocks.
                child.process().destroyForcibly();
            }
            int exit = child.awaitExit();
            firstKilled.countDown();
            if (how == null || exit == 0) {
                assertThat(exit).as(name + " attempt " + n + " exit code; output:\n" + child.output()).isZero();
                attempts.add(new Attempt(n, child.process().pid(), Optional.empty(), 0));
                return new Chain(name, workspace, calls, attempts, child.output());
            }
            attempts.add(new Attempt(n, child.process().pid(), Optional.of(how), settledEntries(workspace)));
            if (runId == null) {
                runId = runIdIn(workspace).orElseThrow(() -> new AssertionError(name + ": the first process was killed before it"
                        + " journaled its run"));
            }
        }
        throw new AssertionError(name + ": the run did not finish in 40 attempts");
    }

    /** Counts the journal entries in a workspace, reading its SQLite file while the child writes it. */
    private static final class Entries {
        private final Path file;
        private long last;

        Entries(Path workspace) {
            this.file = workspace.resolve(Database.WORKSPACE_FILE);
        }

        /** Entries written so far: 0 before the journal exists, the last count read while it cannot be read. */
        long count() {
            if (!Files.exists(file)) {
                return 0;
            }
            // A connection per poll: it sees the writer's latest commit in the WAL, whatever mode the file was in before.
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(20);
            try (Connection c = config.createConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(next_seq - 1), 0) FROM journal_runs")) {
                rs.next();
                last = rs.getLong(1);
            } catch (SQLException e) {
                // Not created yet, or busy for a moment: the next poll will tell.
            }
            return last;
        }
    }

    /** Entries in the journal while no process writes it, read as the next process will (recovering the WAL first). */
    private static long settledEntries(Path workspace) {
        if (!Files.exists(workspace.resolve(Database.WORKSPACE_FILE))) {
            return 0;
        }
        try (JdbcRunJournal j = JdbcRunJournal.inWorkspace(workspace)) {
            return j.list().stream().mapToLong(r -> r.messages() + r.actions()).sum();
        }
    }

    private static Optional<String> runIdIn(Path workspace) {
        try (JdbcRunJournal j = JdbcRunJournal.inWorkspace(workspace)) {
            return j.list().stream().map(RunSummary::runId).findFirst();
        }
    }

    private static JournaledRun journal(Chain chain) {
        try (JdbcRunJournal j = JdbcRunJournal.inWorkspace(chain.workspace())) {
            List<RunSummary> runs = j.list();
            assertThat(runs).as("runs journaled by chain " + chain.name()).hasSize(1);
            return j.load(runs.getFirst().runId()).orElseThrow();
        }
    }

    /** Model calls per role/action that process {@code pid} logged. */
    private static Map<String, Long> callsOf(Chain chain, long pid) throws IOException {
        if (!Files.exists(chain.calls())) {
            return new TreeMap<>();
        }
        try (Stream<String> lines = Files.lines(chain.calls())) {
            return lines.map(l -> l.split(" ")).filter(p -> Long.parseLong(p[0]) == pid)
                    .collect(Collectors.groupingBy(p -> p[1] + "/" + p[2], TreeMap::new, Collectors.counting()));
        }
    }

    /** Model calls per role/action of the completed actions that attempt {@code attempt} journaled. */
    private static Map<String, Long> journaledCalls(JournaledRun run, int attempt) {
        return run.actions().stream().filter(j -> j.attempt() == attempt && j.entry().modelCalls() > 0).map(Journaled::entry)
                .collect(Collectors.groupingBy((ActionEntry e) -> e.role() + "/" + e.action(), TreeMap::new,
                        Collectors.summingLong(ActionEntry::modelCalls)));
    }

    /** Every message but the requirement, without ids and times, sorted. */
    private static List<String> documents(JournaledRun run) {
        return run.messages().stream().map(j -> {
            JsonNode m = read(j.entry().json());
            return m.path("sender").asText() + "/" + m.path("causeBy").asText() + " round " + m.path("round").asInt() + " to "
                    + m.path("sendTo") + ": " + m.path("content").asText() + " " + m.path("payload") + " parents " + m.path("parents").size();
        }).filter(d -> !d.startsWith("user/UserRequirement")).sorted().toList();
    }

    private static Map<String, String> docsFolder(Path workspace) throws IOException {
        Map<String, String> docs = new TreeMap<>();
        Path root = workspace.resolve("docs");
        // The files an action wrote are copied under docs/<Action>/, so the folder is compared file by file.
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                docs.put(root.relativize(f).toString(), Files.readString(f));
            }
        }
        return docs;
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("journal entry is not JSON: " + json, e);
        }
    }

    private static Map<String, Long> minus(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, -v, Long::sum));
        out.values().removeIf(v -> v == 0);
        return out;
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    private Path copy(String resource) throws IOException {
        Path target = dir.resolve(resource);
        try (InputStream in = KillAndResumeTest.class.getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
        return target;
    }

    /**
     * This test's class path, its folders packed into jars in {@code dir}: the children start over a
     * minute, and a build running meanwhile (another terminal, an IDE) must not swap their classes
     * under them.
     */
    private static String classPathSnapshot(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                // Surefire may start tests on a jar whose manifest holds the real class path.
                try (JarFile jar = new JarFile(p.toFile())) {
                    Manifest manifest = jar.getManifest();
                    String inner = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                    if (inner != null && !inner.isBlank()) {
                        for (String url : inner.trim().split("\\s+")) {
                            entries.add(Path.of(p.toUri().resolve(url)).toString());
                        }
                        continue;
                    }
                }
            }
            entries.add(entry);
        }
        List<String> snapshot = new ArrayList<>();
        for (String entry : entries) {
            Path source = Path.of(entry);
            if (!Files.isDirectory(source)) {
                snapshot.add(entry);
                continue;
            }
            // As a jar: class-data sharing archives classes from jars only.
            Path jar = dir.resolve("classpath-" + snapshot.size() + ".jar");
            try (Stream<Path> files = Files.walk(source); JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(source.relativize(f).toString().replace(File.separatorChar, '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            snapshot.add(jar.toString());
        }
        return String.join(File.pathSeparator, snapshot);
    }

    /** {@code troupe} in a JVM of its own on this test's class path. */
    private record Child(Process process, Path log) {
        static Child start(Path dir, String classPath, String name, Path calls, List<String> args, Map<String, String> extraEnv)
                throws IOException {
            String java = ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("which java runs this test?"));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    // The first JVM to exit normally archives the classes it loaded; the others map them.
                    "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + dir.resolve("troupe-cli.jsa"),
                    "--enable-native-access=ALL-UNNAMED",
                    // sqlite-jdbc unpacks its native library here; a killed JVM cannot delete it.
                    "-Djava.io.tmpdir=" + tmp, "-Dorg.sqlite.tmpdir=" + tmp,
                    "-cp", classPath, TroupeCli.class.getName()));
            command.addAll(args);
            Path log = dir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("OLLAMA_"));
            env.put(CountingModelProvider.LOG, calls.toString());
            env.put(CountingModelProvider.DELAY, String.valueOf(MODEL_DELAY_MS));
            env.putAll(extraEnv);
            return new Child(pb.start(), log);
        }

        int awaitExit() throws Exception {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("troupe did not finish in 120 s; its output:\n" + output());
            }
            return process.exitValue();
        }

        String output() throws IOException {
            return Files.readString(log);
        }
    }
}
