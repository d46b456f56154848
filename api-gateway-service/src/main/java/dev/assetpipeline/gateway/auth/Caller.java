package dev.assetpipeline.gateway.auth;

/** Who is calling: the client an API key belongs to. Admins see every asset, ownerless ones too. */
public record Caller(String clientId, boolean admin) {
}
