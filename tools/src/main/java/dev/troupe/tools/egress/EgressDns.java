package dev.troupe.tools.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import okhttp3.Dns;

/**
 * An OkHttp {@link Dns} that resolves through a delegate and lets through only addresses the policy
 * allows, so the address checked is the address OkHttp connects to (no second lookup to rebind).
 */
public final class EgressDns implements Dns {
    private final Dns delegate;
    private final EgressPolicy policy;

    public EgressDns(Dns delegate, EgressPolicy policy) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> addresses = delegate.lookup(hostname);
        policy.checkAddresses(hostname, addresses);
        return addresses;
    }
}
