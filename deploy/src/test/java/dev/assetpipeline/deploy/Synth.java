package dev.assetpipeline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes the app as {@code cdk synth} does: with the context of deploy/cdk.json (feature flags
 * included), plus the overrides a test gives as {@code -c key=value} would.
 */
public final class Synth {

    private static final ObjectMapper json = new ObjectMapper();

    private Synth() {
    }

    public static AssetPipelineApp.Stacks stacks(Map<String, Object> overrides) {
        return stacks(overrides, null);
    }

    /** @param outdir where the cloud assembly goes; null: a temporary folder */
    public static AssetPipelineApp.Stacks stacks(Map<String, Object> overrides, Path outdir) {
        Map<String, Object> context = new HashMap<>(cdkJsonContext());
        // tests run without AWS credentials: a fixed account, so lookups and names are concrete
        context.put("account", "123456789012");
        context.putAll(overrides);
        AppProps.Builder props = AppProps.builder().context(context);
        if (outdir != null) {
            props.outdir(outdir.toString());
        }
        App app = new App(props.build());
        AssetPipelineApp.Stacks stacks = AssetPipelineApp.define(app);
        if (outdir != null) {
            app.synth();
        }
        return stacks;
    }

    public static Template events(Map<String, Object> overrides) {
        return Template.fromStack(stacks(with(overrides, "stacks", "events")).events());
    }

    public static Template services(Map<String, Object> overrides) {
        return Template.fromStack(stacks(overrides).services());
    }

    /** The template as plain JSON, for walking it. */
    public static Map<String, Object> json(Template template) {
        return template.toJSON();
    }

    public static String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = json.readValue(Files.readString(Path.of("cdk.json")), Map.class);
            return (Map<String, Object>) cdkJson.getOrDefault("context", Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
