package dev.troupe.tools.http;

import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Reads at most the cap of each answer and hands back a response holding only that (the rest is never read,
 * so a huge or endless answer cannot fill the heap); a cut answer is noted on the call.
 */
final class BodyLimitInterceptor implements CallInterceptor {
    private final long maxResponseBytes;

    BodyLimitInterceptor(long maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        ResponseBody body = response.body();
        if (body == null) {
            chain.call().truncated(false);
            return response;
        }
        try (response) {
            BufferedSource source = body.source();
            Buffer buffer = new Buffer();
            while (buffer.size() < maxResponseBytes) {
                if (source.read(buffer, maxResponseBytes - buffer.size()) == -1) {
                    break;
                }
            }
            chain.call().truncated(buffer.size() >= maxResponseBytes && !source.exhausted());
            return response.newBuilder().body(ResponseBody.create(buffer.readByteString(), body.contentType())).build();
        }
    }
}
