package dev.troupe.tools.http;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;

/** A {@link CallInterceptor.Chain} over a fixed list whose last interceptor answers without proceeding. */
final class CallChain implements CallInterceptor.Chain {
    private final ImmutableList<CallInterceptor> interceptors;
    private final int index;
    private final ToolCall call;
    private final Request request;

    CallChain(ImmutableList<CallInterceptor> interceptors, int index, ToolCall call, Request request) {
        this.interceptors = interceptors;
        this.index = index;
        this.call = call;
        this.request = request;
    }

    @Override
    public ToolCall call() {
        return call;
    }

    @Override
    public Request request() {
        return request;
    }

    @Override
    public Response proceed(Request next) throws IOException {
        if (index + 1 >= interceptors.size()) {
            throw new IllegalStateException("the last interceptor of a tool call must answer, not proceed");
        }
        return interceptors.get(index + 1).intercept(new CallChain(interceptors, index + 1, call, next));
    }

    /** Runs {@code call} through the whole chain, from its first interceptor. */
    static Response run(ImmutableList<CallInterceptor> interceptors, ToolCall call) throws IOException {
        return interceptors.get(0).intercept(new CallChain(interceptors, 0, call, call.request()));
    }
}
