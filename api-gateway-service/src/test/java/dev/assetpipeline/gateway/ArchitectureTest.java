package dev.assetpipeline.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The API's features depend on each other in one direction only, and shared parts on none of them. */
@AnalyzeClasses(packages = "dev.assetpipeline", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featuresFormNoCycles = slices().matching("dev.assetpipeline.gateway.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule webKnowsNoFeature = noClasses().that().resideInAPackage("dev.assetpipeline.gateway.web..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.assetpipeline.gateway.assets..",
                    "dev.assetpipeline.gateway.upload..", "dev.assetpipeline.gateway.auth..",
                    "dev.assetpipeline.gateway.clients..", "dev.assetpipeline.gateway.changes..");

    @ArchTest
    static final ArchRule featuresDoNotReachIntoTheApplication = noClasses()
            .that().resideInAPackage("dev.assetpipeline.gateway.(*)..")
            .should().dependOnClassesThat().resideInAPackage("dev.assetpipeline.gateway");

    @ArchTest
    static final ArchRule commonKnowsNoService = noClasses().that().resideInAPackage("dev.assetpipeline.common..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.assetpipeline.gateway..", "dev.assetpipeline.worker..");
}
