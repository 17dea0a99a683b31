package dev.troupe.busnats;

import dev.troupe.agents.error.ConfigurationException;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.support.Status;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens connections to NATS that reconnect for ever once up, and explains a server that is not there. */
public final class NatsConnections {
    private static final Logger log = LoggerFactory.getLogger(NatsConnections.class);

    private NatsConnections() {}

    /**
     * Connects to {@code settings.url()} and checks that JetStream is on.
     *
     * @throws ConfigurationException naming the URL and what to do when no server answers there
     */
    public static Connection connect(NatsSettings settings, String name) {
        Connection c;
        try {
            Options options = new Options.Builder()
                    .server(settings.url())
                    .connectionName(name)
                    .connectionTimeout(Duration.ofSeconds(3))
                    .maxReconnects(-1)                       // once connected, ride out restarts of the server
                    .reconnectWait(Duration.ofMillis(250))
                    .reconnectBufferSize(64L * 1024 * 1024)
                    .errorListener(new LoggingErrorListener())
                    .build();
            c = Nats.connect(options);
        } catch (IOException e) {
            throw unreachable(settings.url(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("Interrupted while connecting to NATS at " + settings.url(), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("'" + settings.url() + "' is not a NATS URL (" + e.getMessage()
                    + "); give one like nats://127.0.0.1:4222.", e);
        }
        if (!c.getServerInfo().isJetStreamAvailable()) {
            closeQuietly(c);
            throw new ConfigurationException("The NATS server at " + settings.url() + " (version " + c.getServerInfo().getVersion()
                    + ") runs without JetStream, which Troupe needs for durable streams and acknowledgements."
                    + " Restart it with JetStream on: nats-server -js -sd <store dir>.");
        }
        return c;
    }

    static ConfigurationException unreachable(String url, Exception cause) {
        return new ConfigurationException("Cannot reach NATS at " + url + " (" + describe(cause) + "). Start a server with"
                + " JetStream (nats-server -js -sd <store dir>), or point --nats / " + NatsSettings.URL_VARIABLE
                + " at a running one.", cause);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** jnats reports through this; by default it prints to stderr, which would garble the CLI's progress. */
    private static final class LoggingErrorListener implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            log.warn("NATS error: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            log.debug("NATS connection exception: {}", exp.toString());
        }

        @Override
        public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
            log.warn("NATS slow consumer: {}", consumer);
        }

        @Override
        public void heartbeatAlarm(Connection conn, JetStreamSubscription sub, long lastStreamSequence, long lastConsumerSequence) {
            log.debug("NATS heartbeat alarm on {} at stream sequence {}", sub.getSubject(), lastStreamSequence);
        }

        @Override
        public void pullStatusWarning(Connection conn, JetStreamSubscription sub, Status status) {
            log.debug("NATS pull status {} on {}", status, sub.getSubject());
        }

        @Override
        public void pullStatusError(Connection conn, JetStreamSubscription sub, Status status) {
            log.warn("NATS pull error {} on {}", status, sub.getSubject());
        }
    }
}
