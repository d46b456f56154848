package dev.assetpipeline.gateway.clients;

import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Creating clients and issuing and revoking their keys; what the admin command does. */
@Component
public class ClientAdmin {

    private final ClientRepository clients;
    private final TransactionTemplate transaction;

    ClientAdmin(ClientRepository clients, TransactionTemplate transaction) {
        this.clients = clients;
        this.transaction = transaction;
    }

    /** The same operations on a database given outside a Spring context (tests, tools). */
    public static ClientAdmin on(DataSource dataSource) {
        return new ClientAdmin(new ClientRepository(JdbcClient.create(dataSource)),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    /**
     * Issues a new key for the client, creating the client first when it does not exist yet.
     * The secret is returned once and never stored.
     */
    public Secrets.Issued issueKey(String clientId, boolean admin) {
        return transaction.execute(status -> {
            if (clients.find(clientId).isEmpty()) {
                clients.create(new Client(clientId, admin, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), null));
            }
            Secrets.Issued issued = Secrets.issue();
            clients.addKey(issued.keyId(), clientId, Secrets.sha256(issued.secret()));
            return issued;
        });
    }

    public boolean revoke(String keyId) {
        return Boolean.TRUE.equals(transaction.execute(status -> clients.revoke(keyId)));
    }
}
