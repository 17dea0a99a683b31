package dev.troupe.tools.http;

import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One step of a tool call's way to the API and back, OkHttp style: it sees the request, may change it, passes it
 * on with {@link Chain#proceed} (once, several times, or not at all) and may change what comes back. The
 * executor's chain is listed in {@code HttpToolExecutor.Builder.build()}.
 */
@FunctionalInterface
interface CallInterceptor {
    Response intercept(Chain chain) throws IOException;

    /** The rest of the chain, and the call it carries. */
    interface Chain {
        /** The call this chain carries: its function, credential, redactor and what happened so far. */
        ToolCall call();

        Request request();

        /** Hands {@code request} to the next interceptor and returns what it answered. */
        Response proceed(Request request) throws IOException;
    }
}
