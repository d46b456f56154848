package dev.assetpipeline.deploy.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.assetpipeline.common.testing.TestInfrastructure;
import dev.assetpipeline.deploy.AssetPipelineApp;
import dev.assetpipeline.deploy.Synth;

/**
 * The events stack deployed to the emulator the way a team deploys it to AWS: the app synthesized (both
 * stacks, as {@code cdk synth} would), then {@code cdklocal bootstrap} and {@code cdklocal deploy} of the
 * events stack, which the emulator's CloudFormation can create whole.
 */
final class EmulatorStack {

    /** LocalStack's account for any credentials. */
    static final String ACCOUNT = "000000000000";

    private static final ObjectMapper json = new ObjectMapper();

    /** What was deployed: its settings, the cloud assembly and the stack's outputs. */
    record Deployed(AssetPipelineApp.Stacks stacks, Path assembly, Map<String, String> outputs) {

        String output(String name) {
            String value = outputs.get(name);
            if (value == null) {
                throw new IllegalStateException("no output " + name + " in " + outputs);
            }
            return value;
        }

        String prefix() {
            return stacks.settings().prefix();
        }

        Map<String, Object> template(String stack) {
            return read(assembly.resolve(stack + ".template.json"));
        }

        Map<String, Object> eventsTemplate() {
            return template(stacks.events().getStackName());
        }

        Map<String, Object> servicesTemplate() {
            return template(stacks.services().getStackName());
        }
    }

    private EmulatorStack() {
    }

    /** A new environment name, so every run and every test class deploys its own stack. */
    static String environment(String purpose) {
        return purpose + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
    }

    static Map<String, Object> context(String environment, Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(overrides);
        context.put("environment", environment);
        context.put("account", ACCOUNT);
        context.put("region", TestInfrastructure.aws().region());
        // the services stack is synthesized to read its dashboard; its images need not be built
        context.putIfAbsent("image", "emulator.invalid/{service}:test");
        return context;
    }

    static Deployed deploy(String environment, Map<String, Object> overrides) {
        Path assembly = Path.of("target", "cdk-it", environment).toAbsolutePath();
        AssetPipelineApp.Stacks stacks = Synth.stacks(context(environment, overrides), assembly);
        String stack = stacks.events().getStackName();
        Path outputs = assembly.resolve("outputs.json");
        cdk(assembly, "bootstrap", "aws://" + ACCOUNT + "/" + TestInfrastructure.aws().region(), "--app", assembly.toString());
        cdk(assembly, "deploy", stack, "--app", assembly.toString(), "--require-approval", "never",
                "--outputs-file", outputs.toString());
        @SuppressWarnings("unchecked")
        Map<String, String> values = (Map<String, String>) read(outputs).get(stack);
        return new Deployed(stacks, assembly, values);
    }

    static void destroy(Deployed deployed) {
        cdk(deployed.assembly(), "destroy", deployed.stacks().events().getStackName(), "--app",
                deployed.assembly().toString(), "--force");
    }

    /** Runs the pinned cdklocal (deploy/package.json) against the emulator. */
    private static void cdk(Path assembly, String... arguments) {
        String cli = System.getProperty("deploy.cdk.cli");
        if (cli == null || !Files.isExecutable(Path.of(cli))) {
            throw new IllegalStateException("system property deploy.cdk.cli must name cdklocal (npm ci in deploy/), was " + cli);
        }
        List<String> command = new ArrayList<>(List.of(cli));
        command.addAll(List.of(arguments));
        command.add("--no-notices");
        Path log = assembly.resolve("cdk-" + arguments[0] + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        TestInfrastructure.Aws aws = TestInfrastructure.aws();
        Map<String, String> environment = builder.environment();
        environment.put("AWS_ENDPOINT_URL", aws.endpoint().toString());
        environment.put("AWS_ENDPOINT_URL_S3", aws.endpoint().toString());
        environment.put("AWS_ACCESS_KEY_ID", aws.accessKey());
        environment.put("AWS_SECRET_ACCESS_KEY", aws.secretKey());
        environment.put("AWS_REGION", aws.region());
        environment.put("AWS_DEFAULT_REGION", aws.region());
        environment.put("CDK_DISABLE_CLI_TELEMETRY", "true");
        environment.put("CI", "true");
        try {
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("cdklocal " + arguments[0] + " did not finish in 5 minutes; see " + log);
            }
            if (process.exitValue() != 0) {
                List<String> lines = Files.readAllLines(log);
                throw new IllegalStateException("cdklocal " + String.join(" ", arguments) + " failed:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) {
        try {
            return json.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
