package dev.troupe.tools.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {
    private final EgressPolicy defaults = EgressPolicy.defaults();

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, LOOPBACK", "127.8.9.10, LOOPBACK", "::1, LOOPBACK",
            "10.0.0.5, PRIVATE", "172.16.4.1, PRIVATE", "192.168.1.1, PRIVATE",
            "169.254.169.254, CLOUD_METADATA", "fd00:ec2::254, CLOUD_METADATA", "100.100.100.200, CLOUD_METADATA",
            "169.254.10.10, LINK_LOCAL", "fe80::1, LINK_LOCAL",
            "100.64.1.2, CGNAT", "fd12:3456::1, UNIQUE_LOCAL", "0.0.0.0, UNSPECIFIED", "::, UNSPECIFIED",
            "224.0.0.1, MULTICAST", "198.51.100.7, RESERVED",
            "::ffff:127.0.0.1, LOOPBACK", "64:ff9b::a00:5, PRIVATE", "2002:a9fe:a9fe::1, CLOUD_METADATA",
            "93.184.216.34, PUBLIC", "2606:4700::1111, PUBLIC", "172.32.0.1, PUBLIC"})
    void classifiesAddresses(String address, AddressClass expected) throws Exception {
        assertThat(AddressClass.of(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"http://127.0.0.1/, loopback", "http://10.0.0.5:8080/x, private", "http://169.254.169.254/latest/meta-data/, metadata",
            "http://[::1]:9000/, loopback", "http://[fd00::1]/, unique-local"})
    void refusesSpecialIpLiteralsByDefault(String url, String why) {
        assertThatThrownBy(() -> defaults.checkUrl(HttpUrl.get(url)))
                .isInstanceOf(EgressDeniedException.class).hasMessageContaining(why);
    }

    @Test
    void refusesANameResolvingToAPrivateAddressEvenIfOtherAnswersArePublic() throws Exception {
        List<InetAddress> answers = List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.5"));

        assertThatThrownBy(() -> defaults.checkAddresses("rebind.example", answers))
                .isInstanceOf(EgressDeniedException.class).hasMessageContaining("rebind.example resolves to 10.0.0.5");
    }

    @Test
    void theResolvingDnsRefusesBeforeAnyConnection() {
        EgressDns dns = new EgressDns(host -> List.of(InetAddress.getByAddress(host, new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254})), defaults);

        assertThatThrownBy(() -> dns.lookup("innocent.example")).isInstanceOf(EgressDeniedException.class)
                .hasMessageContaining("cloud metadata");
    }

    @Test
    void allowsPublicAddressesAndAllowListedLocalHosts() throws Exception {
        EgressPolicy local = EgressPolicy.builder().allowHost("localhost").allowHost("[::1]").build();

        assertThatCode(() -> defaults.checkUrl(HttpUrl.get("https://93.184.216.34/"))).doesNotThrowAnyException();
        assertThatCode(() -> local.checkAddress("localhost", InetAddress.getByName("127.0.0.1"))).doesNotThrowAnyException();
        assertThatCode(() -> local.checkUrl(HttpUrl.get("http://[::1]:8080/"))).doesNotThrowAnyException();
    }

    @Test
    void deniedHostsAndMetadataNamesAreRefusedWhateverTheyResolveTo() throws Exception {
        EgressPolicy policy = EgressPolicy.builder().denyHost("*.internal.example").build();
        InetAddress publicAddress = InetAddress.getByName("93.184.216.34");

        assertThatThrownBy(() -> policy.checkAddress("db.internal.example", publicAddress)).hasMessageContaining("deny list");
        assertThatThrownBy(() -> policy.checkUrl(HttpUrl.get("http://metadata.google.internal/computeMetadata/v1/")))
                .hasMessageContaining("deny list");
        assertThatCode(() -> policy.checkAddress("internal.example.com", publicAddress)).doesNotThrowAnyException();
    }

    @Test
    void onlyAllowedHostsModeRefusesEverythingElse() {
        EgressPolicy policy = EgressPolicy.builder().onlyAllowedHosts(true).allowHost("*.rapidapi.com").build();

        assertThatCode(() -> policy.checkUrl(HttpUrl.get("https://theclique.p.rapidapi.com/x"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.checkUrl(HttpUrl.get("https://example.com/"))).hasMessageContaining("not on the egress allow list");
    }
}
