package dev.troupe.tools.egress;

import java.io.IOException;
import java.net.InetSocketAddress;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * A network interceptor that checks the address a request is actually about to be sent to — the
 * last line of defence behind {@link EgressDns}, covering IP-literal hosts and every redirect hop.
 */
public final class EgressInterceptor implements Interceptor {
    private final EgressPolicy policy;

    public EgressInterceptor(EgressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Connection connection = chain.connection();
        if (connection != null) {
            InetSocketAddress socket = connection.route().socketAddress();
            if (socket.getAddress() != null) {
                policy.checkAddress(chain.request().url().host(), socket.getAddress());
            }
        }
        return chain.proceed(chain.request());
    }
}
