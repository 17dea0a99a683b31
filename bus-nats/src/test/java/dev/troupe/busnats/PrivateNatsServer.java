package dev.troupe.busnats;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server of the test's own, on a free port with its own store folder, so a test may stop and
 * restart it; the shared server of the machine is never touched.
 */
public final class PrivateNatsServer implements AutoCloseable {
    /** Where the binary is: {@code TROUPE_NATS_SERVER}, else /usr/sbin/nats-server. */
    public static final Path BINARY = Path.of(System.getenv().getOrDefault("TROUPE_NATS_SERVER", "/usr/sbin/nats-server"));

    private final int port;
    private final Path storeDir;
    private final Path logFile;
    private Process process;

    private PrivateNatsServer(int port, Path storeDir) {
        this.port = port;
        this.storeDir = storeDir;
        this.logFile = storeDir.resolveSibling(storeDir.getFileName() + ".log");
    }

    public static boolean binaryPresent() {
        return Files.isExecutable(BINARY);
    }

    /** Starts a server with JetStream on a free loopback port, storing under {@code dir}. */
    public static PrivateNatsServer start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PrivateNatsServer server = new PrivateNatsServer(port, Files.createDirectories(dir.resolve("jetstream")));
        server.startAgain();
        return server;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the server (again) on the same port and store; returns once it accepts connections. */
    public void startAgain() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of(BINARY.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port), "-js",
                "-sd", storeDir.toString(), "-l", logFile.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("nats-server exited with " + process.exitValue() + "; see " + logFile);
                }
                Thread.sleep(50);
            }
        }
        throw new IOException("nats-server did not accept connections on port " + port + " within 20s; see " + logFile);
    }

    /** Stops the server the way an operator restarting it would (SIGTERM), and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
