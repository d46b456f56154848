package dev.assetpipeline.deploy.emulator;

import static dev.assetpipeline.deploy.Synth.map;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Resolves the CloudFormation functions in a synthesized template to the values the deployment has: the
 * events stack's names (explicit in its template), ARNs built from them, exports of the events stack for
 * the services stack. What the emulator cannot create (the services stack's own resources) resolves to a
 * placeholder such as {@code <ServicesClusterFAAA2B60.Ref>}.
 */
final class Intrinsics {

    private final Map<String, Object> events;
    private final String account;
    private final String region;

    Intrinsics(Map<String, Object> eventsTemplate, String account, String region) {
        this.events = eventsTemplate;
        this.account = account;
        this.region = region;
    }

    /** Every function in {@code value} resolved; maps and lists resolved member by member. */
    Object resolve(Object value, Map<String, Object> template) {
        if (value instanceof List<?> list) {
            return list.stream().map(item -> resolve(item, template)).toList();
        }
        if (!(value instanceof Map<?, ?> raw)) {
            return value;
        }
        Map<String, Object> object = map(raw);
        if (object.size() == 1) {
            Map.Entry<String, Object> function = object.entrySet().iterator().next();
            switch (function.getKey()) {
                case "Ref" -> {
                    return ref((String) function.getValue(), template);
                }
                case "Fn::GetAtt" -> {
                    List<?> target = (List<?>) function.getValue();
                    return attribute((String) target.get(0), (String) target.get(1), template);
                }
                case "Fn::Join" -> {
                    List<?> join = (List<?>) function.getValue();
                    return ((List<?>) join.get(1)).stream().map(part -> (String) resolve(part, template))
                            .collect(Collectors.joining((String) join.get(0)));
                }
                case "Fn::ImportValue" -> {
                    return importValue((String) function.getValue());
                }
                default -> {
                }
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        object.forEach((key, member) -> resolved.put(key, resolve(member, template)));
        return resolved;
    }

    String text(Object value, Map<String, Object> template) {
        return (String) resolve(value, template);
    }

    private String ref(String name, Map<String, Object> template) {
        return switch (name) {
            case "AWS::Region" -> region;
            case "AWS::AccountId" -> account;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName", "AWS::StackId", "AWS::NoValue" -> "<" + name + ">";
            default -> {
                Map<String, Object> resource = resource(name, template);
                if ("AWS::SNS::Topic".equals(resource.get("Type"))) {
                    yield "arn:aws:sns:" + region + ":" + account + ":" + property(resource, "TopicName", template);
                }
                yield "<" + name + ".Ref>";
            }
        };
    }

    private String attribute(String name, String attribute, Map<String, Object> template) {
        Map<String, Object> resource = resource(name, template);
        String type = (String) resource.get("Type");
        if ("AWS::SQS::Queue".equals(type) && "QueueName".equals(attribute)) {
            return property(resource, "QueueName", template);
        }
        if ("AWS::SQS::Queue".equals(type) && "Arn".equals(attribute)) {
            return "arn:aws:sqs:" + region + ":" + account + ":" + property(resource, "QueueName", template);
        }
        if ("AWS::S3::Bucket".equals(type) && "Arn".equals(attribute)) {
            return "arn:aws:s3:::" + property(resource, "BucketName", template);
        }
        return "<" + name + "." + attribute + ">";
    }

    private String importValue(String exportName) {
        Map<String, Object> outputs = map(events.get("Outputs"));
        return outputs.values().stream().map(output -> map(output))
                .filter(output -> output.get("Export") != null
                        && exportName.equals(map(output.get("Export")).get("Name")))
                .findFirst()
                .map(output -> text(output.get("Value"), events))
                .orElseThrow(() -> new IllegalStateException("the events stack exports no " + exportName));
    }

    private String property(Map<String, Object> resource, String property, Map<String, Object> template) {
        return text(map(resource.get("Properties")).get(property), template);
    }

    private static Map<String, Object> resource(String name, Map<String, Object> template) {
        Object resource = map(template.get("Resources")).get(name);
        if (resource == null) {
            throw new IllegalStateException("no resource " + name + " in the template");
        }
        return map(resource);
    }
}
