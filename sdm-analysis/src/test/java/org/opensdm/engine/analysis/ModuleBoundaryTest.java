package org.opensdm.engine.analysis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** sdm-analysis builds on the engine's API only: not its internals, not Drools, not the other tool module. */
@AnalyzeClasses(packages = "org.opensdm.engine.analysis", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {
    @ArchTest
    static final ArchRule only_the_engine_api = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.opensdm.engine.internal..", "org.drools..", "org.kie..",
                    "org.opensdm.engine.audit..", "org.opensdm.cli..");
}
