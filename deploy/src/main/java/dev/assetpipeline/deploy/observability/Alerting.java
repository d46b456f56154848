package dev.assetpipeline.deploy.observability;

import dev.assetpipeline.deploy.DeploymentSettings;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The SNS topic every alarm notifies (on ALARM and again on OK), and the one way alarms are made here:
 * named after the deployment, described for the person paged, wired to the topic. deploy/README.md's
 * runbook has a section for each alarm name.
 */
public final class Alerting extends Construct {

    private final Topic topic;
    private final String prefix;

    public Alerting(Construct scope, String id, DeploymentSettings settings) {
        super(scope, id);
        this.prefix = settings.prefix();
        topic = Topic.Builder.create(this, "Topic").topicName(prefix + "-alarms")
                .displayName("Asset pipeline " + settings.environment() + " alarms").build();
        if (!settings.alarmEmail().isEmpty()) {
            topic.addSubscription(new EmailSubscription(settings.alarmEmail()));
        }
    }

    public ITopic topic() {
        return topic;
    }

    /** An alarm that fires when {@code metric} crosses {@code threshold} in {@code periods} periods in a row. */
    public static Alarm alarm(Construct scope, ITopic topic, String prefix, String name, String description,
            IMetric metric, double threshold, ComparisonOperator comparison, int periods, TreatMissingData missing) {
        Alarm alarm = Alarm.Builder.create(scope, name)
                .alarmName(prefix + "-" + name)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(comparison)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(missing)
                .build();
        SnsAction action = new SnsAction(topic);
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        return alarm;
    }

    public Alarm alarm(Construct scope, String name, String description, IMetric metric, double threshold,
            ComparisonOperator comparison, int periods, TreatMissingData missing) {
        return alarm(scope, topic, prefix, name, description, metric, threshold, comparison, periods, missing);
    }
}
