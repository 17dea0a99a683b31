package dev.troupe.tools.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * What kind of network an IP address belongs to; every class but {@link #PUBLIC} is off limits to tool
 * calls unless the host is allow-listed, because an API call that reaches them is server-side request forgery.
 */
public enum AddressClass {
    // Checked in declaration order: metadata before link-local/CGNAT/unique-local so the reason is the precise one.
    CLOUD_METADATA("a cloud metadata address", "169.254.169.254/32", "169.254.170.2/32", "100.100.100.200/32",
            "fd00:ec2::254/128"),
    UNSPECIFIED("an unspecified address", "0.0.0.0/8", "::/128"),
    LOOPBACK("a loopback address", "127.0.0.0/8", "::1/128"),
    PRIVATE("a private address", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
    LINK_LOCAL("a link-local address", "169.254.0.0/16", "fe80::/10"),
    CGNAT("a carrier-grade NAT address", "100.64.0.0/10"),
    UNIQUE_LOCAL("a unique-local IPv6 address", "fc00::/7", "fec0::/10"),
    MULTICAST("a multicast address", "224.0.0.0/4", "ff00::/8"),
    RESERVED("a reserved or documentation address", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "100::/64", "2001:db8::/32"),
    PUBLIC("a public address");

    private final String description;
    private final List<Cidr> ranges;

    AddressClass(String description, String... cidrs) {
        this.description = description;
        this.ranges = Arrays.stream(cidrs).map(Cidr::parse).toList();
    }

    /** Words for messages: "a private address". */
    public String description() {
        return description;
    }

    /** Classifies an address; IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) are judged by that address. */
    public static AddressClass of(InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] embedded = embeddedIpv4(bytes);
        if (embedded != null) {
            AddressClass inner = classify(embedded);
            if (inner != PUBLIC) {
                return inner;
            }
        }
        return classify(bytes);
    }

    private static AddressClass classify(byte[] bytes) {
        for (AddressClass c : values()) {
            for (Cidr range : c.ranges) {
                if (range.contains(bytes)) {
                    return c;
                }
            }
        }
        return PUBLIC;
    }

    private static byte[] embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean zeros80 = allZero(b, 0, 10);
        if (zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return Arrays.copyOfRange(b, 12, 16); // ::ffff:a.b.c.d, IPv4-mapped
        }
        if (zeros80 && b[10] == 0 && b[11] == 0 && !allZero(b, 12, 14)) {
            return Arrays.copyOfRange(b, 12, 16); // ::a.b.c.d, IPv4-compatible (deprecated, still routable by some stacks)
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12)) {
            return Arrays.copyOfRange(b, 12, 16); // 64:ff9b::/96, NAT64
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return Arrays.copyOfRange(b, 2, 6); // 2002::/16, 6to4
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An address range in CIDR notation. */
    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                // Literal addresses only: InetAddress.getByName does no DNS lookup for them.
                return new Cidr(InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("bad built-in range " + cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
