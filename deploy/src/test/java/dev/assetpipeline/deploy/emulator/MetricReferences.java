package dev.assetpipeline.deploy.emulator;

import static dev.assetpipeline.deploy.Synth.list;
import static dev.assetpipeline.deploy.Synth.map;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Every metric that the alarms and the dashboard of a synthesized template read. */
final class MetricReferences {

    /** One metric as an alarm or a widget reads it; {@code where} says which. */
    record Reference(String namespace, String name, Map<String, String> dimensions, String statistic, String where) {
    }

    private static final ObjectMapper json = new ObjectMapper();

    private MetricReferences() {
    }

    static List<Reference> of(Map<String, Object> template, Intrinsics intrinsics) {
        List<Reference> references = new ArrayList<>();
        map(template.get("Resources")).forEach((id, value) -> {
            Map<String, Object> resource = map(value);
            if ("AWS::CloudWatch::Alarm".equals(resource.get("Type"))) {
                references.addAll(alarm(map(intrinsics.resolve(resource.get("Properties"), template))));
            } else if ("AWS::CloudWatch::Dashboard".equals(resource.get("Type"))) {
                Map<String, Object> properties = map(intrinsics.resolve(resource.get("Properties"), template));
                references.addAll(dashboard((String) properties.get("DashboardBody"), (String) properties.get("DashboardName")));
            }
        });
        return references;
    }

    /** The dashboard body with every function resolved, as PutDashboard takes it. */
    static String dashboardBody(Map<String, Object> template, Intrinsics intrinsics) {
        return map(template.get("Resources")).values().stream().map(value -> map(value))
                .filter(resource -> "AWS::CloudWatch::Dashboard".equals(resource.get("Type")))
                .map(resource -> intrinsics.text(map(resource.get("Properties")).get("DashboardBody"), template))
                .findFirst().orElseThrow();
    }

    private static List<Reference> alarm(Map<String, Object> alarm) {
        String where = "alarm " + alarm.get("AlarmName");
        if (alarm.containsKey("MetricName")) {
            Object statistic = alarm.containsKey("Statistic") ? alarm.get("Statistic") : alarm.get("ExtendedStatistic");
            return List.of(new Reference((String) alarm.get("Namespace"), (String) alarm.get("MetricName"),
                    dimensions(alarm.get("Dimensions")), (String) statistic, where));
        }
        return list(alarm.get("Metrics")).stream().filter(query -> query.containsKey("MetricStat")).map(query -> {
            Map<String, Object> stat = map(query.get("MetricStat"));
            Map<String, Object> metric = map(stat.get("Metric"));
            return new Reference((String) metric.get("Namespace"), (String) metric.get("MetricName"),
                    dimensions(metric.get("Dimensions")), (String) stat.get("Stat"), where);
        }).toList();
    }

    private static List<Reference> dashboard(String body, String name) {
        List<Reference> references = new ArrayList<>();
        try {
            for (Object widget : list(json.readValue(body, Map.class).get("widgets"))) {
                Map<String, Object> properties = map(map(widget).get("properties"));
                if (!properties.containsKey("metrics")) {
                    continue;
                }
                for (Object line : (List<?>) properties.get("metrics")) {
                    List<?> metric = (List<?>) line;
                    if (!(metric.get(0) instanceof String namespace)) {
                        continue; // a math expression: its inputs are lines of their own
                    }
                    Map<String, String> dimensions = new LinkedHashMap<>();
                    String statistic = "Average";
                    for (int i = 2; i < metric.size(); i++) {
                        if (metric.get(i) instanceof Map<?, ?> options) {
                            statistic = (String) map(options).getOrDefault("stat", statistic);
                        } else {
                            dimensions.put((String) metric.get(i), (String) metric.get(++i));
                        }
                    }
                    references.add(new Reference(namespace, (String) metric.get(1), dimensions, statistic,
                            "dashboard " + name + " widget \"" + properties.get("title") + "\""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return references;
    }

    private static Map<String, String> dimensions(Object value) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        if (value != null) {
            list(value).forEach(d -> dimensions.put((String) d.get("Name"), (String) d.get("Value")));
        }
        return dimensions;
    }
}
