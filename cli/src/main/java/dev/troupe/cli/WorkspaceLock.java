package dev.troupe.cli;

import dev.troupe.agents.action.internal.WorkspaceFiles;
import dev.troupe.agents.error.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One {@code troupe run} per workspace at a time: an operating-system lock on
 * {@code .troupe/run.lock}, which names its holder. The system drops the lock when the holder's
 * process ends, however it ends, so a killed run never leaves the workspace locked.
 */
final class WorkspaceLock implements AutoCloseable {
    static final String FILE = WorkspaceFiles.STATE_FOLDER + "/run.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WorkspaceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the workspace for the run of {@code team}.
     *
     * @throws ConfigurationException naming the run that holds it
     */
    static WorkspaceLock take(Path workspace, String team) {
        Path file = workspace.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException inThisProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new ConfigurationException("The workspace " + workspace.toAbsolutePath() + " is in use by another troupe run"
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + "; two runs in one workspace would overwrite each other's"
                        + " files. Wait for it to end, or give this run its own --workspace.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", team " + team + ", since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new WorkspaceLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock the workspace " + workspace.toAbsolutePath() + " (" + file + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            // The holder's line goes first, so a reader never names a run that has ended.
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the workspace lock", e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Closing releases the lock; there is nothing left to undo.
            }
        }
    }
}
