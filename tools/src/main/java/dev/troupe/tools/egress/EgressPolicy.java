package dev.troupe.tools.egress;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableSet;
import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Decides which destinations a tool call may reach: by default only public addresses over http(s),
 * checked on the address a name resolves to; hosts can be allow-listed (e.g. a local test server) or
 * deny-listed, and a policy can restrict calls to allow-listed hosts only.
 */
public final class EgressPolicy {
    /** Names that resolve to instance metadata on the clouds that have them, denied even before resolution. */
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog",
            "metadata.azure.com", "instance-data", "instance-data.ec2.internal");

    private final Set<String> allowHosts;
    private final Set<String> denyHosts;
    private final boolean onlyAllowedHosts;

    private EgressPolicy(Builder b) {
        this.allowHosts = ImmutableSet.copyOf(b.allowHosts);
        this.denyHosts = ImmutableSet.<String>builder().addAll(METADATA_HOSTS).addAll(b.denyHosts).build();
        this.onlyAllowedHosts = b.onlyAllowedHosts;
    }

    /** Public addresses only, no host lists. */
    public static EgressPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.allowHosts.addAll(allowHosts);
        denyHosts.stream().filter(h -> !METADATA_HOSTS.contains(h)).forEach(b.denyHosts::add);
        b.onlyAllowedHosts = onlyAllowedHosts;
        return b;
    }

    /**
     * Checks a URL before any connection: its scheme, the host lists, and an IP-literal host's address
     * (OkHttp does not ask {@code Dns} about literals, so they are judged here).
     */
    public void checkUrl(HttpUrl url) throws EgressDeniedException {
        String host = url.host().toLowerCase(Locale.ROOT);
        if (matches(denyHosts, host)) {
            throw new EgressDeniedException("host " + host + " is on the egress deny list");
        }
        boolean allowed = matches(allowHosts, host);
        if (onlyAllowedHosts && !allowed) {
            throw new EgressDeniedException("host " + host + " is not on the egress allow list, and only listed hosts may be called");
        }
        if (!allowed && InetAddresses.isInetAddress(host)) {
            checkAddress(host, InetAddresses.forString(host));
        }
    }

    /** Checks one address a host resolved to (or was connected to). */
    public void checkAddress(String host, InetAddress address) throws EgressDeniedException {
        String h = host.toLowerCase(Locale.ROOT);
        if (matches(denyHosts, h)) {
            throw new EgressDeniedException("host " + h + " is on the egress deny list");
        }
        if (matches(allowHosts, h)) {
            return;
        }
        AddressClass kind = AddressClass.of(address);
        if (kind != AddressClass.PUBLIC) {
            throw new EgressDeniedException("host " + h + " resolves to " + address.getHostAddress() + ", "
                    + kind.description() + "; tool calls may only reach public addresses unless the host is allow-listed");
        }
    }

    /** Checks every address of a resolution; one bad address fails all, so DNS answers cannot smuggle one in. */
    public void checkAddresses(String host, List<InetAddress> addresses) throws EgressDeniedException {
        for (InetAddress address : addresses) {
            checkAddress(host, address);
        }
    }

    public boolean isAllowListed(String host) {
        return matches(allowHosts, host.toLowerCase(Locale.ROOT));
    }

    private static boolean matches(Set<String> patterns, String host) {
        for (String pattern : patterns) {
            if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "EgressPolicy{allow=" + allowHosts + ", deny=" + denyHosts + ", onlyAllowed=" + onlyAllowedHosts + "}";
    }

    /** Builds an {@link EgressPolicy}; host patterns are exact names, IP literals, or {@code *.example.com}. */
    public static final class Builder {
        private final Set<String> allowHosts = new LinkedHashSet<>();
        private final Set<String> denyHosts = new LinkedHashSet<>();
        private boolean onlyAllowedHosts;

        /** Lets calls reach this host at any address, including loopback and private ones (a local test server). */
        public Builder allowHost(String pattern) {
            allowHosts.add(normalise(pattern));
            return this;
        }

        public Builder allowHosts(List<String> patterns) {
            patterns.forEach(this::allowHost);
            return this;
        }

        /** Refuses every call to this host, whatever it resolves to. */
        public Builder denyHost(String pattern) {
            denyHosts.add(normalise(pattern));
            return this;
        }

        public Builder denyHosts(List<String> patterns) {
            patterns.forEach(this::denyHost);
            return this;
        }

        /** When true, hosts not on the allow list are refused even at public addresses. */
        public Builder onlyAllowedHosts(boolean only) {
            this.onlyAllowedHosts = only;
            return this;
        }

        public EgressPolicy build() {
            return new EgressPolicy(this);
        }

        private static String normalise(String pattern) {
            checkArgument(pattern != null && !pattern.isBlank(), "a host pattern must not be blank");
            String p = pattern.strip().toLowerCase(Locale.ROOT);
            // HttpUrl gives IPv6 hosts without brackets; accept both spellings in config.
            return p.startsWith("[") && p.endsWith("]") ? p.substring(1, p.length() - 1) : p;
        }
    }
}
