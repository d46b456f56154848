package dev.assetpipeline.common.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {

    private final WebhookTargets strict = new WebhookTargets(new WebhookTargetProperties(false, List.of()));
    private final WebhookTargets local = new WebhookTargets(new WebhookTargetProperties(true, List.of("127.0.0.1/32")));

    @ParameterizedTest
    @ValueSource(strings = {"https://10.0.0.1/hook", "https://10.255.255.255/", "https://172.16.0.1/",
            "https://172.31.255.254/", "https://192.168.1.1/", "https://127.0.0.1/", "https://127.0.0.2:8443/",
            "https://169.254.169.254/latest/meta-data/", "https://0.0.0.0/", "https://100.64.0.1/",
            "https://[::1]/", "https://[fe80::1]/", "https://[fd00::1]/", "https://[::ffff:10.0.0.1]/",
            "https://[::]/", "https://224.0.0.1/", "https://2130706433/", "https://0x7f000001/"})
    void refusesAddressesThatAreNotPublic(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(WebhookTargets.Refused.class)
                .satisfies(e -> assertThat(e.getMessage()).isIn(
                        "points at a private, loopback or link-local address", "has a host that does not resolve"));
    }

    @Test
    void acceptsPublicAddresses() throws Exception {
        assertThat(strict.check("https://93.184.215.14/hooks/assets?x=1").getHost()).isEqualTo("93.184.215.14");
        assertThat(strict.check("https://[2606:4700::1111]/hook").getHost()).isEqualTo("[2606:4700::1111]");
    }

    @Test
    void anAllowedNetworkIsExemptAndNothingElse() throws Exception {
        assertThat(local.check("http://127.0.0.1:9000/hook").getPort()).isEqualTo(9000);
        assertThatThrownBy(() -> local.check("http://127.0.0.2:9000/hook"))
                .hasMessage("points at a private, loopback or link-local address");
        assertThatThrownBy(() -> local.check("http://[::1]:9000/hook"))
                .hasMessage("points at a private, loopback or link-local address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.215.14/hook", "ftp://93.184.215.14/", "93.184.215.14/hook", "",
            "https://user:pass@93.184.215.14/", "https://93.184.215.14/#frag", "https:///path", "file:///etc/passwd",
            "https://exa mple.com/", "javascript:alert(1)"})
    void refusesWhatIsNotAPlainHttpsUrl(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(WebhookTargets.Refused.class);
    }

    @Test
    void refusesOverlongUrls() {
        assertThatThrownBy(() -> strict.check("https://93.184.215.14/" + "a".repeat(2048)))
                .hasMessageContaining("longer than 2048");
    }
}
