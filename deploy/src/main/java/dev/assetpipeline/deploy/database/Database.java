package dev.assetpipeline.deploy.database;

import java.util.List;

import dev.assetpipeline.deploy.DeploymentSettings;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.CredentialsBaseOptions;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * PostgreSQL 15 on RDS in the VPC's isolated subnets, encrypted, its master credentials generated into
 * Secrets Manager (the services read them as ECS secrets, never as plain environment values).
 */
public final class Database extends Construct {

    public static final String NAME = "assets";
    public static final String USER = "assets";

    private final DatabaseInstance instance;

    public Database(Construct scope, String id, DeploymentSettings settings, IVpc vpc) {
        super(scope, id);
        DeploymentSettings.Sizes sizes = settings.sizes();
        instance = DatabaseInstance.Builder.create(this, "Instance")
                .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                        .version(PostgresEngineVersion.VER_15).build()))
                .instanceType(new InstanceType(sizes.databaseInstanceType()))
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .databaseName(NAME)
                .credentials(Credentials.fromGeneratedSecret(USER,
                        CredentialsBaseOptions.builder().secretName(settings.prefix() + "/database").build()))
                .allocatedStorage(sizes.databaseStorageGiB())
                .maxAllocatedStorage(sizes.databaseStorageGiB() * 5)
                .storageEncrypted(true)
                .multiAz(sizes.databaseMultiAz())
                .backupRetention(Duration.days(7))
                .deletionProtection(settings.retainData())
                .removalPolicy(settings.retainData() ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY)
                .publiclyAccessible(false)
                .build();
    }

    /** The only way in: PostgreSQL's port from these, nothing else. */
    public void allowFrom(List<? extends IConnectable> clients) {
        clients.forEach(client -> instance.getConnections().allowDefaultPortFrom(client, "PostgreSQL from the services"));
    }

    public ISecret secret() {
        return instance.getSecret();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + instance.getDbInstanceEndpointAddress() + ":"
                + instance.getDbInstanceEndpointPort() + "/" + NAME;
    }
}
