package dev.troupe.system.faults;

import java.util.SplittableRandom;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;

/** The transport faults both fault-injecting servers answer with, as {@link MockResponse}s. */
final class FaultResponses {
    private FaultResponses() {}

    static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    /** The request is read, then the connection is closed with no response. */
    static MockResponse disconnectBeforeResponse() {
        // Not DISCONNECT_AT_START: MockWebServer applies that one from Dispatcher.peek(), before dispatch;
        // returned from dispatch() it is ignored and an empty 200 goes out.
        return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
    }

    /** {@code response} with its connection closed half-way through the body. */
    static MockResponse disconnectDuringBody(MockResponse response) {
        return response.setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
    }

    /** No response at all: the client's read timeout has to end it. */
    static MockResponse noResponse() {
        return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
    }

    /** Complete headers and a Content-Length that matches: the cut is in the JSON, not the transport. */
    static MockResponse truncated(int status, String full, SplittableRandom random) {
        int cut = 1 + random.nextInt(full.length() - 2);
        return json(status, full.substring(0, cut));
    }
}
