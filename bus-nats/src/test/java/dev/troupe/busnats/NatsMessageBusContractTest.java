package dev.troupe.busnats;

import dev.troupe.agents.message.MessageBus;
import dev.troupe.agents.message.MessageBusContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The NATS JetStream bus against the bus contract, on the local server. */
class NatsMessageBusContractTest extends MessageBusContract {
    private static TeamStream stream;

    @BeforeAll
    static void openStream() {
        if (LocalNats.available()) {
            stream = TeamStream.open(LocalNats.isolatedSettings(), "contract");
        }
    }

    @AfterAll
    static void deleteStream() {
        if (stream != null) {
            stream.delete();
            stream.close();
        }
    }

    @Override
    protected MessageBus newBus() {
        LocalNats.assumeAvailable();   // each test is reported skipped, with the reason
        return NatsMessageBus.on(stream);
    }
}
