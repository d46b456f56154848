package dev.assetpipeline.deploy.services;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.TaskDefinition;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

/**
 * Applies the Liquibase changelog once per deployment, before any new service version starts: a one-off
 * Fargate task (the API's image running its admin command {@code migrate}) that the deployment waits for.
 * The services depend on it and run with Liquibase off, so no two processes ever race on an empty
 * database, and a failed migration fails the deployment before traffic moves. It runs again whenever its
 * task definition changes, that is whenever a new image is deployed.
 */
final class SchemaMigration extends Construct {

    static final String CONTAINER = "migrate";

    private final CustomResource applied;
    private final SecurityGroup securityGroup;

    SchemaMigration(Construct scope, String id, ICluster cluster, IVpc vpc, TaskDefinition task) {
        super(scope, id);
        securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup").vpc(vpc)
                .description("The schema migration task: out to PostgreSQL and ECR only").build();
        List<String> subnets = vpc.selectSubnets(SubnetSelection.builder()
                .subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()).getSubnetIds();

        Function start = handler("Start", "on_event");
        start.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("ecs:RunTask"))
                .resources(List.of(task.getTaskDefinitionArn())).build());
        start.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("iam:PassRole"))
                .resources(List.of(task.getTaskRole().getRoleArn(), task.obtainExecutionRole().getRoleArn())).build());
        Function finished = handler("Finished", "is_complete");
        finished.addToRolePolicy(PolicyStatement.Builder.create().actions(List.of("ecs:DescribeTasks"))
                .resources(List.of(Stack.of(this).formatArn(software.amazon.awscdk.ArnComponents.builder()
                        .service("ecs").resource("task").resourceName(cluster.getClusterName() + "/*").build())))
                .build());

        Provider provider = Provider.Builder.create(this, "Provider")
                .onEventHandler(start).isCompleteHandler(finished)
                .queryInterval(Duration.seconds(10)).totalTimeout(Duration.minutes(30)).build();
        applied = CustomResource.Builder.create(this, "Applied")
                .serviceToken(provider.getServiceToken())
                .resourceType("Custom::SchemaMigration")
                .properties(Map.of(
                        "Cluster", cluster.getClusterArn(),
                        "TaskDefinition", task.getTaskDefinitionArn(),
                        "Container", CONTAINER,
                        "Subnets", subnets,
                        "SecurityGroups", List.of(securityGroup.getSecurityGroupId())))
                .build();
    }

    ISecurityGroup securityGroup() {
        return securityGroup;
    }

    /** Services that must start only after the schema is in place depend on this. */
    Construct applied() {
        return applied;
    }

    private Function handler(String id, String entry) {
        return Function.Builder.create(this, id)
                .runtime(Runtime.PYTHON_3_12)
                .handler("index." + entry)
                .timeout(Duration.minutes(1))
                .code(Code.fromInline(HANDLER))
                .build();
    }

    /** Starts the task, then reports it done once it stopped; a non-zero exit fails the deployment. */
    private static final String HANDLER = """
            import boto3
            ecs = boto3.client("ecs")

            def on_event(event, context):
                if event["RequestType"] == "Delete":
                    return {"PhysicalResourceId": event["PhysicalResourceId"]}
                p = event["ResourceProperties"]
                started = ecs.run_task(
                    cluster=p["Cluster"], taskDefinition=p["TaskDefinition"], launchType="FARGATE", count=1,
                    startedBy="schema-migration",
                    networkConfiguration={"awsvpcConfiguration": {
                        "subnets": p["Subnets"], "securityGroups": p["SecurityGroups"], "assignPublicIp": "DISABLED"}})
                if started.get("failures") or not started.get("tasks"):
                    raise RuntimeError("could not start the schema migration: %s" % started.get("failures"))
                return {"PhysicalResourceId": "schema", "Data": {"TaskArn": started["tasks"][0]["taskArn"]}}

            def is_complete(event, context):
                if event["RequestType"] == "Delete":
                    return {"IsComplete": True}
                p = event["ResourceProperties"]
                task = ecs.describe_tasks(cluster=p["Cluster"], tasks=[event["Data"]["TaskArn"]])["tasks"][0]
                if task["lastStatus"] != "STOPPED":
                    return {"IsComplete": False}
                container = next(c for c in task["containers"] if c["name"] == p["Container"])
                if container.get("exitCode") != 0:
                    raise RuntimeError("schema migration failed (exit %s, %s); see the task's log" % (
                        container.get("exitCode"), task.get("stoppedReason")))
                return {"IsComplete": True}
            """;
}
