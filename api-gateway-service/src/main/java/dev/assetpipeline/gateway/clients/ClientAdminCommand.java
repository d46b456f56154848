package dev.assetpipeline.gateway.clients;

import java.io.PrintStream;
import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The admin command (see scripts/clients.sh): the API's jar started with {@code --assets.admin=true}
 * and no web server runs one of
 * <pre>
 *   key &lt;client-id&gt; [--admin]   issue a key (creating the client if needed); prints the secret once
 *   list                         clients and their keys, never a secret
 *   revoke &lt;key-id&gt;             revoke a key; every API instance stops accepting it within a second
 *   migrate                      only apply the schema (Liquibase runs as the command starts), then exit;
 *                                deploy/ runs this once per deployment before the services start
 * </pre>
 */
@Component
@ConditionalOnProperty("assets.admin")
class ClientAdminCommand implements ApplicationRunner {

    private final ClientAdmin admin;
    private final ClientRepository clients;
    private final PrintStream out = System.out;

    ClientAdminCommand(ClientAdmin admin, ClientRepository clients) {
        this.admin = admin;
        this.clients = clients;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<String> words = args.getNonOptionArgs();
        String command = words.isEmpty() ? "help" : words.get(0);
        switch (command) {
            case "key" -> key(words, args.containsOption("admin"));
            case "list" -> list();
            case "revoke" -> revoke(words);
            case "migrate" -> out.println("schema is up to date");
            default -> out.println("usage: key <client-id> [--admin] | list | revoke <key-id> | migrate");
        }
    }

    private void key(List<String> words, boolean asAdmin) {
        String clientId = argument(words, "key <client-id>");
        Secrets.Issued issued = admin.issueKey(clientId, asAdmin);
        out.println("client:  " + clientId + (clients.find(clientId).orElseThrow().admin() ? " (admin)" : ""));
        out.println("key id:  " + issued.keyId());
        out.println("secret:  " + issued.secret());
        out.println("The secret is shown this once; only its SHA-256 is stored. Use it as");
        out.println("  curl -u " + clientId + ":" + issued.secret() + " ...");
        out.println("  curl -H 'Authorization: Bearer " + issued.secret() + "' ...");
    }

    private void list() {
        out.printf("%-24s %-6s %-18s %-25s %s%n", "client", "admin", "key id", "created", "revoked");
        for (Client client : clients.all()) {
            List<ApiKey> keys = clients.keys().stream().filter(k -> k.clientId().equals(client.id())).toList();
            if (keys.isEmpty()) {
                out.printf("%-24s %-6s %-18s%n", client.id(), client.admin(), "-");
            }
            for (ApiKey key : keys) {
                out.printf("%-24s %-6s %-18s %-25s %s%n", client.id(), client.admin(), key.id(), key.createdAt(),
                        key.revoked() ? key.revokedAt() : "-");
            }
        }
    }

    private void revoke(List<String> words) {
        String keyId = argument(words, "revoke <key-id>");
        out.println(admin.revoke(keyId) ? "revoked key " + keyId : "no live key " + keyId);
    }

    private static String argument(List<String> words, String usage) {
        if (words.size() < 2) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return words.get(1);
    }
}
