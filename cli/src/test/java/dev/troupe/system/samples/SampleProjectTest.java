package dev.troupe.system.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Builds and tests {@code samples/java-quickstart} as a user would, against this checkout's artifacts: every module's
 * classes are packaged into a repository under {@code target/}, and the project's own Maven build resolves Troupe from
 * there and everything else from the build's local repository, read as a remote one, so nothing is written into it.
 * What a user's build needs beyond this build's (a parent pom that Troupe's dependency management made unnecessary
 * here) comes from Maven Central into the project's own repository under {@code target/}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SampleProjectTest {
    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "sample-project").toAbsolutePath();
    private static final String CENTRAL = "https://repo.maven.apache.org/maven2";
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    /** The artifactId and packaging of a pom, after its {@code <parent>} block. */
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");
    private static final Pattern PACKAGING = Pattern.compile("<packaging>([^<]+)</packaging>");

    @Test
    void theQuickstartProjectBuildsOnTheBomAndRunsBothTeams() throws Exception {
        Path troupeRepo = WORK.resolve("troupe-repo");
        Path localRepo = WORK.resolve("local-repo");
        deleteTree(troupeRepo);
        deleteTree(localRepo.resolve("dev/troupe"));   // resolved again from this build's classes every time
        String version = publishCheckout(troupeRepo);
        Path settings = writeSettings(troupeRepo, localRepo);

        Path mavenHome = Path.of(System.getProperty("troupe.maven.home"));
        Path mvn = mavenHome.resolve("bin").resolve(System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn");
        Path log = WORK.resolve("quickstart.log");
        ProcessBuilder pb = new ProcessBuilder(mvn.toString(), "-B", "-q", "-s", settings.toString(), "-gs", settings.toString(),
                "-Dtroupe.version=" + version, "-f", CHECKOUT.resolve("samples/java-quickstart/pom.xml").toString(), "test")
                .directory(CHECKOUT.resolve("samples/java-quickstart").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("OLLAMA_") || k.startsWith("TROUPE_") || k.equals("MAVEN_ARGS"));
        Process p = pb.start();
        boolean ended = p.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String output = Files.readString(log);

        assertThat(ended).as("the quickstart build ended; its output so far:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("the quickstart build (mvn test) failed:%n%s", output).isZero();
        Path reports = CHECKOUT.resolve("samples/java-quickstart/target/surefire-reports/TEST-com.example.quickstart.QuickstartTest.xml");
        assertThat(Files.readString(reports)).contains("tests=\"2\"").contains("failures=\"0\"").contains("errors=\"0\"");
    }

    /**
     * Lays out the parent pom, every module's pom and, for a jar module, a jar of its compiled classes as a Maven
     * repository; returns the version.
     */
    private static String publishCheckout(Path repo) throws IOException {
        String parentPom = Files.readString(CHECKOUT.resolve("pom.xml"));
        String version = tag(parentPom, "version");
        publish(repo, "troupe-parent", version, CHECKOUT.resolve("pom.xml"), null);
        List<String> modules = new ArrayList<>();
        for (Matcher m = MODULE.matcher(parentPom); m.find(); ) {
            modules.add(m.group(1));
        }
        if (!modules.contains("bom")) {
            modules.add("bom");   // the quickstart imports it, whether or not the build lists it as a module
        }
        for (String module : modules) {
            Path dir = CHECKOUT.resolve(module);
            String pom = Files.readString(dir.resolve("pom.xml"));
            String own = pom.substring(Math.max(0, pom.indexOf("</parent>")));
            Matcher artifact = ARTIFACT.matcher(own);
            if (!artifact.find()) {
                throw new IllegalStateException(dir + "/pom.xml has no artifactId");
            }
            Matcher packaging = PACKAGING.matcher(own);
            boolean jar = !packaging.find() || packaging.group(1).equals("jar");
            Path classes = dir.resolve("target/classes");
            if (!jar || Files.isDirectory(classes)) {
                publish(repo, artifact.group(1), version, dir.resolve("pom.xml"), jar ? classes : null);
            }
        }
        return version;
    }

    private static void publish(Path repo, String artifactId, String version, Path pom, Path classes) throws IOException {
        Path dir = repo.resolve("dev/troupe").resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"));
        if (classes != null) {
            jar(classes, dir.resolve(artifactId + "-" + version + ".jar"));
        }
    }

    private static void jar(Path classes, Path jar) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            for (Path f : files) {
                zip.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }

    /**
     * Troupe from {@code troupeRepo}; every other artifact and plugin from the build's own local repository, read only,
     * then from Maven Central.
     */
    private static Path writeSettings(Path troupeRepo, Path localRepo) throws IOException {
        String buildRepo = Path.of(System.getProperty("troupe.maven.repo")).toUri().toString();
        // A local repository holds no checksum files, so only Central's downloads are checked.
        String repository = """
                        <%1$s><id>%2$s</id><url>%3$s</url>
                          <releases><enabled>%4$s</enabled><checksumPolicy>%6$s</checksumPolicy></releases>
                          <snapshots><enabled>%5$s</enabled><updatePolicy>always</updatePolicy><checksumPolicy>%6$s</checksumPolicy></snapshots>
                        </%1$s>
                """;
        String settings = """
                <settings>
                  <localRepository>%s</localRepository>
                  <profiles><profile><id>checkout</id>
                    <repositories>
                %s%s%s    </repositories>
                    <pluginRepositories>
                %s%s    </pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>checkout</activeProfile></activeProfiles>
                </settings>
                """.formatted(localRepo,
                repository.formatted("repository", "troupe-checkout", troupeRepo.toUri(), false, true, "ignore"),
                repository.formatted("repository", "build-local", buildRepo, true, false, "ignore"),
                repository.formatted("repository", "central", CENTRAL, true, false, "fail"),
                repository.formatted("pluginRepository", "build-local", buildRepo, true, false, "ignore"),
                repository.formatted("pluginRepository", "central", CENTRAL, true, false, "fail"));
        Path file = WORK.resolve("settings.xml");
        Files.createDirectories(WORK);
        Files.writeString(file, settings, StandardCharsets.UTF_8);
        return file;
    }

    private static String tag(String pom, String name) {
        String own = pom.substring(pom.indexOf("<artifactId>troupe-parent</artifactId>"));
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(own);
        if (!m.find()) {
            throw new IllegalStateException("the parent pom has no <" + name + ">");
        }
        return m.group(1);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.compareTo(a)).forEach(paths::add);
        }
        for (Path p : paths) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
