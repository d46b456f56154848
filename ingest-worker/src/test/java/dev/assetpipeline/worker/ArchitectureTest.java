package dev.assetpipeline.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The worker's features form no cycles, shared support knows none of them, and only the event feature
 * speaks S3's event format: the table and the reconciler speak observations.
 */
@AnalyzeClasses(packages = "dev.assetpipeline", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featuresFormNoCycles = slices().matching("dev.assetpipeline.worker.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule supportKnowsNoFeature = noClasses().that().resideInAPackage("dev.assetpipeline.worker.support..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.assetpipeline.worker.events..",
                    "dev.assetpipeline.worker.reconcile..", "dev.assetpipeline.worker.deadletters..",
                    "dev.assetpipeline.worker.operators..");

    @ArchTest
    static final ArchRule onlyTheEventFeatureReadsS3Events = classes().that().haveSimpleNameStartingWith("S3")
            .and().resideInAPackage("dev.assetpipeline.worker.events..")
            .should().onlyBeAccessed().byClassesThat().resideInAPackage("dev.assetpipeline.worker.events..");

    @ArchTest
    static final ArchRule commonKnowsNoService = noClasses().that().resideInAPackage("dev.assetpipeline.common..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.assetpipeline.gateway..", "dev.assetpipeline.worker..");
}
