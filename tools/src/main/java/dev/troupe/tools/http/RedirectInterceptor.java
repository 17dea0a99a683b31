package dev.troupe.tools.http;

import dev.troupe.tools.egress.EgressDeniedException;
import dev.troupe.tools.egress.EgressPolicy;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Follows redirects itself (OkHttp's are off), so that every hop's destination passes the {@link EgressPolicy}
 * before it is sent and the {@link AuthInterceptor} below sees each hop.
 */
final class RedirectInterceptor implements CallInterceptor {
    private final EgressPolicy egress;
    private final int maxRedirects;

    RedirectInterceptor(EgressPolicy egress, int maxRedirects) {
        this.egress = egress;
        this.maxRedirects = maxRedirects;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        ToolCall call = chain.call();
        Request current = chain.request();
        for (int hop = 0; ; hop++) {
            egress.checkUrl(current.url());
            call.hop(hop);
            Response response = chain.proceed(current);
            String location = response.header("Location");
            if (!response.isRedirect() || location == null || hop >= maxRedirects) {
                return response;
            }
            HttpUrl next = current.url().resolve(location);
            response.close();
            if (next == null) {
                throw new EgressDeniedException("a redirect pointed to '" + call.redactor().redact(location)
                        + "', which is not an http(s) URL");
            }
            current = redirected(current, next, response.code());
        }
    }

    private static Request redirected(Request request, HttpUrl next, int code) {
        Request.Builder b = request.newBuilder().url(next);
        boolean toGet = code == 303 || ((code == 301 || code == 302) && !request.method().equals("GET") && !request.method().equals("HEAD"));
        if (toGet) {
            b.method("GET", null).removeHeader("Content-Type").removeHeader("Content-Length");
        }
        return b.build();
    }
}
