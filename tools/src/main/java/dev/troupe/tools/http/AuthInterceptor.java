package dev.troupe.tools.http;

import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Response;

/** Puts the call's credential on a hop to the origin it was given for; a hop elsewhere goes without it. */
final class AuthInterceptor implements CallInterceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
        ToolCall call = chain.call();
        boolean sameOrigin = sameOrigin(call.request().url(), chain.request().url());
        return chain.proceed(sameOrigin ? call.auth().apply(chain.request()) : chain.request());
    }

    private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
    }
}
