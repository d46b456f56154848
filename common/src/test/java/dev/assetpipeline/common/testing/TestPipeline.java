package dev.assetpipeline.common.testing;

/** The database and the emulator's resources one test class owns (IsolatedPipeline). */
public record TestPipeline(String databaseUrl, PipelineResources resources) {
}
