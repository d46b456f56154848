package dev.assetpipeline.deploy.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.assetpipeline.deploy.DeploymentSettings;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.ContainerImage;

/**
 * Both services run the repository's root Dockerfile, built with {@code SERVICE} set to each one; cdk
 * builds and pushes them to the bootstrap repository during deploy. With {@code -c image=...} a prebuilt
 * image runs instead ({@code {service}} in it is replaced by the service's name).
 */
final class ServiceImages {

    private ServiceImages() {
    }

    static ContainerImage of(DeploymentSettings settings, String service) {
        if (!settings.image().isEmpty()) {
            return ContainerImage.fromRegistry(settings.image().replace("{service}", service));
        }
        return ContainerImage.fromAsset(repositoryRoot().toString(), AssetImageProps.builder()
                .file("Dockerfile")
                .buildArgs(Map.of("SERVICE", service))
                .build());
    }

    /** cdk runs the app in deploy/, tests in the module's folder: either way the root is one up. */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("Dockerfile")) && Files.isDirectory(candidate.resolve("deploy"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no repository root (a folder with Dockerfile and deploy/) above " + here);
    }
}
