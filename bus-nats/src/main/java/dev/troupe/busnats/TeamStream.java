package dev.troupe.busnats;

import com.google.common.collect.ImmutableList;
import dev.troupe.agents.error.TroupeException;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A team's JetStream stream: created or updated idempotently on open, published to with
 * {@code Nats-Msg-Id} so re-publishes are dropped, and read back in stream order. Calls ride out a
 * server that is briefly away (a restart) by retrying for {@link NatsSettings#retryFor()}.
 */
public final class TeamStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TeamStream.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int STREAM_NAME_IN_USE = 10058;
    private static final int NO_MESSAGE_FOUND = 10037;

    private final Connection connection;
    private final boolean ownsConnection;
    private final NatsSettings settings;
    private final TeamSubjects subjects;
    private final JetStream js;
    private final JetStreamManagement jsm;

    private TeamStream(Connection connection, boolean ownsConnection, NatsSettings settings, String team) {
        this.connection = connection;
        this.ownsConnection = ownsConnection;
        this.settings = settings;
        this.subjects = new TeamSubjects(settings.prefix(), team);
        try {
            this.js = connection.jetStream();
            this.jsm = connection.jetStreamManagement();
        } catch (IOException e) {
            throw NatsConnections.unreachable(settings.url(), e);
        }
        retrying("creating the stream " + subjects.stream(), this::ensureStream);
    }

    /** Connects to the server of {@code settings} and opens the stream of {@code team}; closing it closes the connection. */
    public static TeamStream open(NatsSettings settings, String team) {
        Connection c = NatsConnections.connect(settings, "troupe " + team);
        try {
            return new TeamStream(c, true, settings, team);
        } catch (RuntimeException e) {
            NatsConnections.closeQuietly(c);
            throw e;
        }
    }

    /** Opens the stream of {@code team} on a connection the caller owns. */
    public static TeamStream on(Connection connection, NatsSettings settings, String team) {
        return new TeamStream(Objects.requireNonNull(connection), false, settings, team);
    }

    public TeamSubjects subjects() {
        return subjects;
    }

    public NatsSettings settings() {
        return settings;
    }

    public Connection connection() {
        return connection;
    }

    public JetStream jetStream() {
        return js;
    }

    public JetStreamManagement management() {
        return jsm;
    }

    /** One stored record: its stream sequence, subject and body. */
    public record Entry(long sequence, String subject, byte[] body) {}

    /**
     * Stores {@code body} under {@code subject} with {@code Nats-Msg-Id: id}; a record with the same id
     * published within the duplicate window is dropped by the server (the ack says so).
     */
    public PublishAck publish(String subject, String id, byte[] body) {
        PublishOptions options = PublishOptions.builder().messageId(id).expectedStream(subjects.stream()).build();
        return retrying("publishing " + subject, () -> js.publish(subject, body, options));
    }

    /** Every record matching {@code filter} from stream sequence {@code fromSequence} on, as stored now. */
    public ImmutableList<Entry> read(String filter, long fromSequence) {
        return retrying("reading " + filter, () -> readOnce(filter, fromSequence));
    }

    private ImmutableList<Entry> readOnce(String filter, long fromSequence) throws IOException, JetStreamApiException {
        // One direct "next message on these subjects" request per record: exact, and no consumer to create and
        // clean up. (Fetching from a short-lived consumer sized by its num_pending stalled for seconds at a time
        // on the 2.9 server under test.)
        List<Entry> out = new ArrayList<>();
        long seq = Math.max(1, fromSequence);
        while (true) {
            MessageInfo info;
            try {
                info = jsm.getNextMessage(subjects.stream(), seq, filter);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                    return ImmutableList.copyOf(out);
                }
                throw e;
            }
            out.add(new Entry(info.getSeq(), info.getSubject(), info.getData()));
            seq = info.getSeq() + 1;
        }
    }

    /** Removes the stream and everything in it (tests and clean-up). */
    public void delete() {
        retrying("deleting the stream " + subjects.stream(), () -> {
            try {
                return jsm.deleteStream(subjects.stream());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                    return false;
                }
                throw e;
            }
        });
    }

    private StreamInfo ensureStream() throws IOException, JetStreamApiException {
        StreamConfiguration wanted = StreamConfiguration.builder()
                .name(subjects.stream())
                .description("Troupe team " + subjects.team() + ": messages and control records of its runs")
                .subjects(subjects.all())
                .retentionPolicy(RetentionPolicy.Limits)   // many consumers read the same records; history replays them
                .storageType(StorageType.File)
                .duplicateWindow(settings.duplicateWindow())
                .maxAge(settings.maxAge())
                .build();
        try {
            StreamInfo info = jsm.getStreamInfo(subjects.stream());
            StreamConfiguration have = info.getConfiguration();
            if (have.getSubjects().equals(wanted.getSubjects()) && have.getDuplicateWindow().equals(wanted.getDuplicateWindow())
                    && have.getMaxAge().equals(wanted.getMaxAge())) {
                return info;
            }
            return jsm.updateStream(wanted);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
        }
        try {
            return jsm.addStream(wanted);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NAME_IN_USE) {
                return jsm.getStreamInfo(subjects.stream());   // another process created it first
            }
            throw e;
        }
    }

    /** A call to the server. */
    @FunctionalInterface
    public interface ServerCall<T> {
        T call() throws IOException, JetStreamApiException, InterruptedException;
    }

    /**
     * Runs {@code call}, retrying while the server is unreachable or JetStream is not ready yet, for up
     * to {@link NatsSettings#retryFor()}; other API errors fail at once.
     */
    public <T> T retrying(String what, ServerCall<T> call) {
        long deadline = System.nanoTime() + settings.retryFor().toNanos();
        long backoffMs = 50;
        Exception last;
        while (true) {
            try {
                return call.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                CancellationException c = new CancellationException("interrupted while " + what);
                c.initCause(e);
                throw c;
            } catch (JetStreamApiException e) {
                if (!transientError(e)) {
                    throw new TroupeException("NATS at " + settings.url() + " refused " + what + ": " + e.getMessage(), e);
                }
                last = e;
            } catch (IOException | IllegalStateException e) {
                // IllegalStateException: jnats refuses calls while the connection is closed or reconnecting.
                if (e instanceof IllegalStateException && connection.getStatus() == Connection.Status.CLOSED) {
                    throw new NatsUnavailableException("The NATS connection to " + settings.url() + " is closed; cannot go on " + what, e);
                }
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new NatsUnavailableException("NATS at " + settings.url() + " did not answer for " + settings.retryFor().toSeconds()
                        + "s while " + what + " (" + NatsConnections.describe(last) + "). Check that the server is up and"
                        + " has JetStream on.", last);
            }
            log.debug("NATS call failed while {} ({}); retrying in {} ms", what, NatsConnections.describe(last), backoffMs);
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                CancellationException c = new CancellationException("interrupted while " + what);
                c.initCause(e);
                throw c;
            }
            backoffMs = Math.min(1000, backoffMs * 2);
        }
    }

    private static boolean transientError(JetStreamApiException e) {
        // 503: JetStream not (yet) available, e.g. while a restarted server recovers its store; 408: request timed out.
        return e.getErrorCode() == 503 || e.getErrorCode() == 408;
    }

    @Override
    public void close() {
        if (ownsConnection) {
            NatsConnections.closeQuietly(connection);
        }
    }
}
