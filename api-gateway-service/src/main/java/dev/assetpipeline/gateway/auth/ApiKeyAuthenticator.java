package dev.assetpipeline.gateway.auth;

import java.time.Duration;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.assetpipeline.gateway.changes.ChangeSubscriber;
import dev.assetpipeline.gateway.clients.ApiKey;
import dev.assetpipeline.gateway.clients.Client;
import dev.assetpipeline.gateway.clients.ClientRepository;
import dev.assetpipeline.gateway.clients.Secrets;

/**
 * Checks a secret against its key's stored hash. Keys are cached per instance so a request costs no
 * query; revoking a key NOTIFYs every instance, which drops it at once (the short expiry is a backstop).
 */
@Component
class ApiKeyAuthenticator implements ChangeSubscriber {

    private record KnownKey(ApiKey key, boolean admin) {
    }

    private final ClientRepository clients;
    private final Cache<String, Optional<KnownKey>> keys = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    ApiKeyAuthenticator(ClientRepository clients) {
        this.clients = clients;
    }

    /**
     * @param claimedClientId the client id a Basic credential names; empty for a Bearer token
     * @return the caller, when the secret is a live key of that client
     */
    Optional<Caller> authenticate(Optional<String> claimedClientId, String secret) {
        return Secrets.keyId(secret)
                .flatMap(keyId -> keys.get(keyId, this::load))
                .filter(known -> !known.key().revoked())
                .filter(known -> claimedClientId.map(known.key().clientId()::equals).orElse(true))
                .filter(known -> Secrets.matches(secret, known.key().secretSha256()))
                .map(known -> new Caller(known.key().clientId(), known.admin()));
    }

    private Optional<KnownKey> load(String keyId) {
        return clients.findKey(keyId).map(key -> new KnownKey(key,
                clients.find(key.clientId()).map(Client::admin).orElse(false)));
    }

    @Override
    public String channel() {
        return ClientRepository.KEY_CHANNEL;
    }

    @Override
    public void changed(String keyId) {
        keys.invalidate(keyId);
    }

    @Override
    public void forgetAll() {
        keys.invalidateAll();
    }
}
