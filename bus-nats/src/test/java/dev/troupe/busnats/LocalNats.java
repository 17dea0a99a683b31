package dev.troupe.busnats;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.UUID;

/** The NATS server the tests use: {@code TROUPE_NATS_URL}, else nats://127.0.0.1:4222; tests skip when it is not there. */
public final class LocalNats {
    public static final String URL = NatsSettings.defaultUrl();
    private static Boolean available;

    private LocalNats() {}

    public static synchronized boolean available() {
        if (available == null) {
            try (Connection c = Nats.connect(new Options.Builder().server(URL).connectionTimeout(Duration.ofSeconds(2))
                    .noReconnect().errorListener(new io.nats.client.ErrorListener() {}).build())) {
                available = c.getServerInfo().isJetStreamAvailable();
            } catch (Exception e) {
                available = false;
            }
        }
        return available;
    }

    /** Skips the calling test, saying why and how to run it, when no NATS with JetStream is reachable. */
    public static void assumeAvailable() {
        assumeTrue(available(), "no NATS server with JetStream at " + URL + " (set " + NatsSettings.URL_VARIABLE
                + ", or start one: nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server); .ci/run starts it");
    }

    /** Settings on the local server with a subject prefix no other test uses, so tests never see each other's streams. */
    public static NatsSettings isolatedSettings() {
        return NatsSettings.of(URL).withPrefix("test" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }
}
