package dev.troupe.busnats;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.agents.error.ConfigurationException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Without a server, the user learns where Troupe looked and what to do; no NATS is needed for this. */
class NatsConnectionsTest {

    @Test
    void unreachableServerIsAConfigurationErrorThatNamesTheUrlAndWhatToDo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();   // nothing listens here once it is closed
        }
        String url = "nats://127.0.0.1:" + port;
        assertThatThrownBy(() -> NatsMessageBus.connect(NatsSettings.of(url), "demo"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Cannot reach NATS at " + url)
                .hasMessageContaining("nats-server -js")
                .hasMessageContaining(NatsSettings.URL_VARIABLE);
    }

    @Test
    void malformedUrlIsAConfigurationErrorWithAnExample() {
        assertThatThrownBy(() -> NatsConnections.connect(NatsSettings.of("nats://[broken"), "demo"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nats://[broken");
    }
}
