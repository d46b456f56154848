package dev.assetpipeline.deploy;

import java.util.ArrayList;
import java.util.List;

import dev.assetpipeline.deploy.database.Database;
import dev.assetpipeline.deploy.observability.OperationsDashboard;
import dev.assetpipeline.deploy.observability.ServiceAlarms;
import dev.assetpipeline.deploy.services.Services;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.constructs.Construct;

/**
 * The network, the database and the two services on ECS Fargate, the alarms on them and the operators'
 * dashboard. It uses the events stack's bucket, queues and alarm topic.
 */
public final class ServicesStack extends Stack {

    public ServicesStack(Construct scope, String id, StackProps props, DeploymentSettings settings, EventsStack events,
            List<IAlarm> eventAlarms) {
        super(scope, id, props);
        IVpc vpc = settings.vpcId().isEmpty()
                ? Vpc.Builder.create(this, "Vpc").maxAzs(2).natGateways(1)
                        .subnetConfiguration(List.of(
                                subnet("public", SubnetType.PUBLIC),
                                subnet("services", SubnetType.PRIVATE_WITH_EGRESS),
                                subnet("database", SubnetType.PRIVATE_ISOLATED)))
                        .build()
                : Vpc.fromLookup(this, "Vpc", VpcLookupOptions.builder().vpcId(settings.vpcId()).build());
        Database database = new Database(this, "Database", settings, vpc);
        Services services = new Services(this, "Services", settings, vpc, database, events.storage());

        ServiceAlarms serviceAlarms = new ServiceAlarms(this, "ServiceAlarms", settings, events.alerting().topic(),
                services.api().loadBalancer(), services.cluster(), services.worker().service());
        List<IAlarm> alarms = new ArrayList<>(eventAlarms);
        alarms.addAll(serviceAlarms.alarms());
        new OperationsDashboard(this, "Operations", settings, events.storage(), services.api().loadBalancer(),
                services.cluster(), services.api().service(), services.worker().service(), alarms);

        CfnOutput.Builder.create(this, "ApiUrl").value((settings.certificateArn().isEmpty() ? "http://" : "https://")
                + services.api().loadBalancer().getLoadBalancerDnsName()).build();
        CfnOutput.Builder.create(this, "DatabaseSecretName").value(database.secret().getSecretName()).build();
    }

    private static SubnetConfiguration subnet(String name, SubnetType type) {
        return SubnetConfiguration.builder().name(name).subnetType(type).cidrMask(24).build();
    }
}
