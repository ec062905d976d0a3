package org.opensdm.engine.audit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.opensdm.engine.ApiRules;

/** sdm-audit builds on the engine's API only: not its internals, not Drools, not the other tool module. */
@AnalyzeClasses(packages = "org.opensdm.engine.audit", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {
    @ArchTest
    static final ArchRule no_jackson_drools_or_kie_type_in_public_methods = ApiRules.NO_LIBRARY_TYPE_IN_PUBLIC_METHODS;

    @ArchTest
    static final ArchRule no_jackson_drools_or_kie_type_in_public_fields = ApiRules.NO_LIBRARY_TYPE_IN_PUBLIC_FIELDS;

    @ArchTest
    static final ArchRule only_the_engine_api = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.opensdm.engine.internal..", "org.drools..", "org.kie..",
                    "org.opensdm.engine.analysis..", "org.opensdm.cli..");
}
