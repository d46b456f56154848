package dev.assetpipeline.gateway.clients;

import java.time.Duration;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.assetpipeline.gateway.changes.ChangeSubscriber;

/**
 * The clients this instance serves, kept in memory so that an upload URL costs no query for its client's
 * size and type limits. A change to a client's row NOTIFYs every instance in its transaction (changelog
 * 0012), which forgets that client when it commits; the expiry is a backstop. Quotas and the URL rate are
 * read from the row by the reservation itself, so they never depend on this copy.
 */
@Component
public class KnownClients implements ChangeSubscriber {

    static final String CHANNEL = "client_changed";

    private final ClientRepository clients;
    private final Cache<String, Client> known = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    KnownClients(ClientRepository clients) {
        this.clients = clients;
    }

    public Optional<Client> find(String id) {
        return Optional.ofNullable(known.get(id, key -> clients.find(key).orElse(null)));
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public void changed(String clientId) {
        known.invalidate(clientId);
    }

    @Override
    public void forgetAll() {
        known.invalidateAll();
    }
}
