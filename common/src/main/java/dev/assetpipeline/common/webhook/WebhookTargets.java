package dev.assetpipeline.common.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The rules a webhook URL must keep, so that no client can make the pipeline call into its own network
 * (SSRF): https only (http where configured), no credentials in the URL, and a host whose every address
 * is public. The API checks this when a webhook is registered; the worker checks the addresses again
 * each time it connects, and connects only to the addresses it checked, so a name that later resolves
 * to a private address (DNS rebinding) is refused too.
 */
public class WebhookTargets {

    /**
     * Not reachable on the public internet, or not meant to be called: RFC 6890 and its updates. IPv4-mapped
     * IPv6 addresses need no entry: Java reads them as the IPv4 address they carry.
     */
    private static final List<IpAddressMatcher> NOT_PUBLIC = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "64:ff9b::/96", "100::/64", "2001:db8::/32", "fc00::/7",
            "fe80::/10", "fec0::/10", "ff00::/8")
            .stream().map(IpAddressMatcher::new).toList();

    public static final int MAX_URL_LENGTH = 2048;

    private final boolean allowHttp;
    private final List<IpAddressMatcher> allowed;

    public WebhookTargets(WebhookTargetProperties properties) {
        this.allowHttp = properties.allowHttp();
        this.allowed = properties.allowedNetworks().stream().map(IpAddressMatcher::new).toList();
    }

    /** Why this URL may not be a webhook; the URI if it may. Resolves its host. */
    public URI check(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("is not a URL");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new Refused("is longer than " + MAX_URL_LENGTH + " characters");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new Refused(allowHttp ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("must not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("must not have a fragment");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("must name a host");
        }
        resolve(uri.getHost());
        return uri;
    }

    /**
     * The host's addresses, each one allowed; refused if any is not. Every address must pass, because
     * a client connecting to the name may be handed any of them.
     */
    public InetAddress[] resolve(String host) throws Refused {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("has a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw new Refused("points at a private, loopback or link-local address");
            }
        }
        return addresses;
    }

    boolean allowed(InetAddress address) {
        String literal = address.getHostAddress();
        if (allowed.stream().anyMatch(network -> network.matches(literal))) {
            return true;
        }
        return NOT_PUBLIC.stream().noneMatch(network -> network.matches(literal));
    }

    /** A webhook URL the rules refuse; the message completes "the URL …". */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
