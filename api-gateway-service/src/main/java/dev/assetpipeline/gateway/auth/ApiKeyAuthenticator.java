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
import dev.assetpipeline.gateway.clients.KnownClients;
import dev.assetpipeline.gateway.clients.Secrets;

/**
 * Checks a secret against its key's stored hash. Keys are cached per instance so a request costs no
 * query; revoking a key NOTIFYs every instance, which drops it at once (the short expiry is a backstop).
 * Whether the caller is an admin comes from its client ({@link KnownClients}), which a change to the
 * client's row evicts the same way.
 */
@Component
class ApiKeyAuthenticator implements ChangeSubscriber {

    private final ClientRepository clients;
    private final KnownClients knownClients;
    private final Cache<String, Optional<ApiKey>> keys = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    ApiKeyAuthenticator(ClientRepository clients, KnownClients knownClients) {
        this.clients = clients;
        this.knownClients = knownClients;
    }

    /**
     * @param claimedClientId the client id a Basic credential names; empty for a Bearer token
     * @return the caller, when the secret is a live key of that client
     */
    Optional<Caller> authenticate(Optional<String> claimedClientId, String secret) {
        return Secrets.keyId(secret)
                .flatMap(keyId -> keys.get(keyId, clients::findKey))
                .filter(key -> !key.revoked())
                .filter(key -> claimedClientId.map(key.clientId()::equals).orElse(true))
                .filter(key -> Secrets.matches(secret, key.secretSha256()))
                .map(key -> new Caller(key.clientId(),
                        knownClients.find(key.clientId()).map(Client::admin).orElse(false)));
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
