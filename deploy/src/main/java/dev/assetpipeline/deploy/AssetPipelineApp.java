package dev.assetpipeline.deploy;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app: {@code cdk deploy --all} from deploy/ creates both stacks, events first. Settings come from
 * CDK context (DeploymentSettings). {@code -c stacks=events} defines only the events stack, which is what
 * the emulator can create.
 */
public final class AssetPipelineApp {

    private AssetPipelineApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        define(app);
        app.synth();
    }

    /** Both stacks, as {@link #main} defines them; tests call this with their own context. */
    public static Stacks define(App app) {
        DeploymentSettings settings = DeploymentSettings.fromContext(app.getNode());
        Environment environment = Environment.builder()
                .account(settings.account().isEmpty() ? null : settings.account())
                .region(settings.region())
                .build();
        Tags.of(app).add("application", "asset-pipeline");
        Tags.of(app).add("environment", settings.environment());

        EventsStack events = new EventsStack(app, "AssetPipeline-" + settings.environment() + "-events",
                props(environment, "Asset pipeline " + settings.environment() + ": uploads bucket, event queues, alarms"),
                settings);
        ServicesStack services = null;
        if (!"events".equals(app.getNode().tryGetContext("stacks"))) {
            services = new ServicesStack(app, "AssetPipeline-" + settings.environment() + "-services",
                    props(environment, "Asset pipeline " + settings.environment() + ": database, services, dashboard"),
                    settings, events, events.ingestAlarms().alarms());
        }
        return new Stacks(settings, events, services);
    }

    private static StackProps props(Environment environment, String description) {
        return StackProps.builder().env(environment).description(description).build();
    }

    /** What {@link #define} made; {@code services} is null with {@code -c stacks=events}. */
    public record Stacks(DeploymentSettings settings, EventsStack events, ServicesStack services) {
    }
}
